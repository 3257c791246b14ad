package com.catvsnoncat.classifier;

import com.catvsnoncat.model.DefaultModel;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import com.catvsnoncat.model.ModelFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served. Readers take {@link #current()} once per request, so a request is answered by one
 * model from start to end; {@link #reload} swaps atomically and only after the new file has loaded completely,
 * so a bad file leaves the old model serving.
 */
public final class ModelRegistry {
    private final Optional<Path> configuredPath;
    private final AtomicReference<Model> current;

    public ModelRegistry(Model initial, Optional<Path> configuredPath) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.configuredPath = Objects.requireNonNull(configuredPath, "configuredPath");
    }

    /**
     * Reads the model at {@code path}, or the embedded default ({@link DefaultModel}) when empty. Blocking.
     *
     * @throws ModelFileException naming the file and what is wrong with it
     */
    public static Model load(Optional<Path> path) {
        return path.map(ModelFile::read).orElseGet(DefaultModel::load);
    }

    public Model current() {
        return current.get();
    }

    /**
     * Loads {@code path} (or the configured path, or the embedded default) and serves it from now on. Blocking.
     *
     * @return the model now serving
     * @throws ModelFileException if the file does not load; the old model keeps serving
     */
    public Model reload(Optional<Path> path) {
        Model next = load(path.or(() -> configuredPath));
        current.set(next);
        return next;
    }
}
