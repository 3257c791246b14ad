package com.catvsnoncat.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Reads classpath files into memory, from the jar or from a classes folder (the container image runs from classes).
 * Vert.x's {@code StaticHandler} instead copies every classpath file it serves into a file cache on disk, which needs
 * a writable directory (the image's root filesystem is read-only) and leaves files behind after a crash. Blocking:
 * call it off the event loop.
 */
final class ClasspathFiles {
    /** A file's bytes and when it was last modified (whole seconds, as HTTP dates have them). */
    record Resource(byte[] bytes, long modifiedSecond) {
    }

    private ClasspathFiles() {
    }

    /**
     * Every file under a classpath folder, by its name relative to the folder ("js/app.js"). Where several classpath
     * roots have the folder, the first one's file wins, as {@link ClassLoader#getResource} would pick it.
     */
    static Map<String, Resource> folder(String folder) {
        Map<String, Resource> files = new LinkedHashMap<>();
        try {
            for (URL root : Collections.list(loader().getResources(folder))) {
                read(root).forEach(files::putIfAbsent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** One classpath file, or empty when there is none (or the name is a folder). */
    static Optional<Resource> file(String name) {
        URL url = loader().getResource(name);
        if (url == null) {
            return Optional.empty();
        }
        Map<String, Resource> found = read(url);
        return Optional.ofNullable(found.get(""));
    }

    private static ClassLoader loader() {
        return ClasspathFiles.class.getClassLoader();
    }

    /** The files at a classpath URL (a folder or a single file, whose relative name is ""). */
    private static Map<String, Resource> read(URL url) {
        try {
            URLConnection connection = url.openConnection();
            if (connection instanceof JarURLConnection jarConnection) {
                // Not the class loader's cached JarFile: this one is opened for the read and closed after it.
                jarConnection.setUseCaches(false);
                try (JarFile jar = jarConnection.getJarFile()) {
                    return fromJar(jar, jarConnection.getEntryName());
                }
            }
            if ("file".equals(url.getProtocol())) {
                return fromFolder(Path.of(url.toURI()));
            }
            throw new IllegalStateException("cannot read classpath files from " + url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read classpath files from " + url, e);
        }
    }

    private static Map<String, Resource> fromJar(JarFile jar, String entryName) throws IOException {
        Map<String, Resource> files = new LinkedHashMap<>();
        // A single file is looked up by name: walking the fat jar's 13,700 entries once per WebJar file was most of
        // the static content's start.
        JarEntry named = jar.getJarEntry(entryName);
        if (named != null && !named.isDirectory()) {
            files.put("", read(jar, named));
            return files;
        }
        String prefix = entryName.endsWith("/") ? entryName : entryName + "/";
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry entry = entries.nextElement();
            if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                files.put(entry.getName().substring(prefix.length()), read(jar, entry));
            }
        }
        return files;
    }

    private static Resource read(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            return new Resource(in.readAllBytes(), entry.getTime() / 1000);
        }
    }

    private static Map<String, Resource> fromFolder(Path path) throws IOException {
        Map<String, Resource> files = new LinkedHashMap<>();
        if (Files.isRegularFile(path)) {
            files.put("", resource(path));
            return files;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(path.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"),
                        resource(file));
            }
        }
        return files;
    }

    private static Resource resource(Path file) throws IOException {
        return new Resource(Files.readAllBytes(file), Files.getLastModifiedTime(file).toMillis() / 1000);
    }
}
