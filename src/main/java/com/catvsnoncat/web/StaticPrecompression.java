package com.catvsnoncat.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Run by the build (exec-maven-plugin, compile phase; pom.xml): writes the gzip copy of every compressible file the
 * static content serves into the classes folder, named by its content's tag, so the jar and the image ship them and
 * a start reads them instead of compressing (see {@link StaticFile}). Named by content, a copy can never be taken for
 * a file that changed since: a changed file has another tag and, until the next build, is compressed at start.
 */
public final class StaticPrecompression {
    private StaticPrecompression() {
    }

    /** @param args the classes folder (target/classes) */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: StaticPrecompression CLASSES_FOLDER");
        }
        Path folder = Path.of(args[0]).resolve(StaticFile.PRECOMPRESSED);
        deleteFolder(folder);
        Files.createDirectories(folder);
        int written = 0;
        for (StaticFiles.Source source : StaticFiles.sources()) {
            if (StaticFile.compressible(source.path())) {
                byte[] bytes = source.resource().bytes();
                Files.write(folder.getParent().resolve(StaticFile.precompressedName(StaticFile.contentTag(bytes))),
                        StaticFile.gzip(bytes));
                written++;
            }
        }
        System.out.println("static content: " + written + " gzip copies in " + folder);
    }

    /** Copies of files since changed or gone would otherwise pile up in the jar. */
    private static void deleteFolder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
