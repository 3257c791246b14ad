package com.catvsnoncat.classifier;

import com.catvsnoncat.model.DefaultModel;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import com.catvsnoncat.model.ModelFileException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where model versions come from. Three kinds: a directory in Triton's layout, {@code <root>/<model name>/<version>/
 * model.npz} with versions positive integers; the models bundled in the jar (the default repository, so the jar
 * serves at once); or one configured file ({@code classifier.modelPath}), served as one version of {@link
 * #DEFAULT_MODEL}. Listing is blocking (it reads a directory) and cheap: files are only read when a version loads.
 */
abstract class ModelRepository {
    /** The model a request without a model name gets, and the name a single configured file is served under. */
    static final String DEFAULT_MODEL = "catvnoncat";
    /** The reference network on the pixels (12288-20-7-5-1), bundled beside the default. */
    static final String PIXEL_MODEL = "catvnoncat-pixels";
    static final String PIXEL_MODEL_RESOURCE = "/model/pixels.npz";
    static final String MODEL_FILE = "model.npz";
    /** Names are path segments and metric label values: short, and no separators or dots at the start. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** A version directory: a positive integer, no sign, no leading zero, below 10^18. */
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");

    /** One version that can be loaded; {@code stamp} changes when its file does (null for a bundled resource). */
    record Entry(String name, long version, String where, Object stamp) {
    }

    /** The versions there are now, by name then version. Blocking. */
    abstract List<Entry> list();

    /** Reads the version's model. Blocking. @throws ModelFileException naming what is wrong */
    abstract Model load(Entry entry);

    /**
     * The version as clients see it: the directory's number, or for a single file the version its metadata says (so
     * a reloaded file shows its own version).
     */
    String label(Entry entry, Model model) {
        return Long.toString(entry.version());
    }

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static ModelRepository directory(Path root) {
        return new Directory(root);
    }

    static ModelRepository bundled() {
        return new Bundled();
    }

    static ModelRepository singleFile(Path file) {
        return new SingleFile(file);
    }

    /** Reads a file after checking it is a regular file: opening a FIFO would block until someone writes to it. */
    static Model readFile(Path path) {
        stamp(path);
        return ModelFile.read(path);
    }

    /** The file's modification time and size. @throws ModelFileException if it is not a regular file */
    static List<Long> stamp(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new ModelFileException(path + ": not a regular file");
            }
            return List.of(attributes.lastModifiedTime().toMillis(), attributes.size());
        } catch (IOException e) {
            throw new ModelFileException(path + ": " + e, e);
        }
    }

    /** The file's stamp, or null when it is not there or not a regular file. */
    private static Object stampOrNull(Path path) {
        try {
            return stamp(path);
        } catch (ModelFileException e) {
            return null;
        }
    }

    private static final class Directory extends ModelRepository {
        private final Path root;

        Directory(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        @Override
        List<Entry> list() {
            List<Entry> entries = new ArrayList<>();
            for (Path model : children(root)) {
                String name = model.getFileName().toString();
                if (!validName(name) || !Files.isDirectory(model)) {
                    continue;
                }
                for (Path version : children(model)) {
                    String number = version.getFileName().toString();
                    Path file = version.resolve(MODEL_FILE);
                    if (!VERSION.matcher(number).matches() || !Files.isDirectory(version)) {
                        continue;
                    }
                    // A version being written may lack its file for a moment: it is listed once the file is there.
                    Object stamp = stampOrNull(file);
                    if (stamp != null) {
                        entries.add(new Entry(name, Long.parseLong(number), file.toString(), stamp));
                    }
                }
            }
            entries.sort(Comparator.comparing(Entry::name).thenComparingLong(Entry::version));
            return entries;
        }

        @Override
        Model load(Entry entry) {
            return readFile(Path.of(entry.where()));
        }

        private static List<Path> children(Path dir) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(children::add);
            } catch (IOException e) {
                throw new ModelFileException("cannot list the model repository " + dir + ": " + e, e);
            }
            return children;
        }
    }

    private static final class Bundled extends ModelRepository {
        @Override
        List<Entry> list() {
            return List.of(new Entry(DEFAULT_MODEL, 1, DefaultModel.RESOURCE, null),
                    new Entry(PIXEL_MODEL, 1, PIXEL_MODEL_RESOURCE, null));
        }

        @Override
        Model load(Entry entry) {
            return ModelFile.readResource(entry.where());
        }
    }

    private static final class SingleFile extends ModelRepository {
        private final Path file;

        SingleFile(Path file) {
            this.file = Objects.requireNonNull(file, "file");
        }

        @Override
        List<Entry> list() {
            // Null while the file is missing for a moment (being replaced): what is loaded keeps serving.
            return List.of(new Entry(DEFAULT_MODEL, 1, file.toString(), stampOrNull(file)));
        }

        @Override
        Model load(Entry entry) {
            return readFile(file);
        }

        @Override
        String label(Entry entry, Model model) {
            return model.metadata().version();
        }
    }
}
