package com.catvsnoncat.deploy;

import java.nio.file.Path;

/** Paths in the project checkout (surefire runs the tests with basedir set to it). */
final class Project {
    private Project() {
    }

    static Path root() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }
}
