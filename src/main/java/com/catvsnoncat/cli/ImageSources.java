package com.catvsnoncat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads an image given as a file path or an http(s) URL. */
final class ImageSources implements AutoCloseable {

    byte[] read(String source) throws IOException {
        if (source.startsWith("http://") || source.startsWith("https://")) {
            throw new IllegalArgumentException("URLs are not supported yet");
        }
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(source);
        }
        return Files.readAllBytes(file);
    }

    @Override
    public void close() {
    }
}
