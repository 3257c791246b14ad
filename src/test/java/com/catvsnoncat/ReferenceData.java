package com.catvsnoncat;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Where the reference catvnoncat data set is, for tests that compare against it. */
public final class ReferenceData {
    private ReferenceData() {
    }

    /**
     * The data set folder (train_catvnoncat.h5, test_catvnoncat.h5, images/), from the system property
     * catvsnoncat.dataset that surefire sets from the pom's dataset.dir. When it is missing the calling test
     * is skipped, or fails if catvsnoncat.dataset.required is true (as in CI).
     */
    public static Path dir() {
        Path dir = Path.of(System.getProperty("catvsnoncat.dataset", "../shared/datasets/catvnoncat"))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            String message = "reference data set not found at " + dir + "; set -Ddataset.dir=...";
            if (Boolean.getBoolean("catvsnoncat.dataset.required")) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return dir;
    }

    /** The original system's trained model file, kept beside the data set (../shared/peers/seed/parameters.npz). */
    public static Path originalModel() {
        Path file = dir().resolve("../../peers/seed/parameters.npz").normalize();
        if (!Files.isRegularFile(file)) {
            fail("the original system's model file is not at " + file);
        }
        return file;
    }
}
