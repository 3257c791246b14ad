package com.catvsnoncat.cli;

import com.catvsnoncat.classifier.ClassifierConfig;
import com.catvsnoncat.classifier.ImageFetcher;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * Reads an image given as a file path or an http(s) URL. URLs go through the service's own {@link ImageFetcher},
 * with the same limits and address checks as the service's defaults; Vert.x starts only if a URL is given.
 */
final class ImageSources implements AutoCloseable {
    private Vertx vertx;
    private ImageFetcher fetcher;

    byte[] read(String source) throws IOException {
        if (source.startsWith("http://") || source.startsWith("https://")) {
            return fetch(source);
        }
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(source);
        }
        return Files.readAllBytes(file);
    }

    private byte[] fetch(String url) throws IOException {
        if (fetcher == null) {
            vertx = Vertx.vertx();
            fetcher = new ImageFetcher(vertx, ClassifierConfig.from(new JsonObject()).fetch());
        }
        try {
            return fetcher.fetch(url).toCompletionStage().toCompletableFuture().get().getBytes();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void close() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
