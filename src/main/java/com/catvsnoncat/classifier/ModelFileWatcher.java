package com.catvsnoncat.classifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Notices when a model file changes (modification time or size), by polling: cheap, and unlike a WatchService it
 * works the same on every file system, including Kubernetes volumes that swap a symlink.
 */
final class ModelFileWatcher {
    private record Stamp(long modifiedMillis, long size) {
    }

    private final Path path;
    private Stamp last;

    ModelFileWatcher(Path path) {
        this.path = Objects.requireNonNull(path, "path");
        this.last = stamp();
    }

    /** Blocking (reads file attributes). True once for each change seen since the previous call. */
    synchronized boolean changed() {
        Stamp now = stamp();
        boolean changed = now != null && !now.equals(last);
        if (now != null) {
            last = now;
        }
        return changed;
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size());
        } catch (IOException e) {
            // Missing for a moment while being replaced: wait for it to come back.
            return null;
        }
    }
}
