package com.catvsnoncat.model;

/** The model that ships inside the jar (made by {@code make model}), so the service runs without any file. */
public final class DefaultModel {
    public static final String RESOURCE = "/model/default.npz";

    private DefaultModel() {
    }

    public static Model load() {
        return ModelFile.readResource(RESOURCE);
    }
}
