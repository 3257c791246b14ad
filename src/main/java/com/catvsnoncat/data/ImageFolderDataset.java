package com.catvsnoncat.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A labelled data set from a folder of pictures laid out as {@code DIR/cat/*} (label 1) and
 * {@code DIR/non-cat/*} (label 0; {@code noncat} and {@code non_cat} are accepted too). Every regular file
 * directly in those folders is a picture, except hidden files (names starting with '.', such as .DS_Store);
 * sub-folders are ignored. The order is fixed: cat/ then non-cat/, each sorted by file name.
 */
public final class ImageFolderDataset {
    public static final String CAT_FOLDER = "cat";
    public static final List<String> NON_CAT_FOLDERS = List.of("non-cat", "noncat", "non_cat");

    /** One picture and its label (1 = cat, 0 = non-cat). */
    public record Example(Path file, int label) {
    }

    private ImageFolderDataset() {
    }

    public static Dataset load(Path dir) {
        return load(dir, new ImagePreprocessor());
    }

    /**
     * Decodes the pictures in parallel; the rows follow {@link #examples(Path)}.
     *
     * @throws DatasetException naming the folder or the first file (in that order) that cannot be used
     */
    public static Dataset load(Path dir, ImagePreprocessor preprocessor) {
        List<Example> examples = examples(dir);
        List<Decoded> decoded = IntStream.range(0, examples.size()).parallel()
                .mapToObj(i -> decode(examples.get(i).file(), preprocessor))
                .toList();
        double[][] rows = new double[decoded.size()][];
        int[] labels = new int[decoded.size()];
        for (int i = 0; i < rows.length; i++) {
            // Failures are raised here rather than inside the stream so the one reported is always the first.
            if (decoded.get(i).failure() != null) {
                throw decoded.get(i).failure();
            }
            rows[i] = decoded.get(i).vector();
            labels[i] = examples.get(i).label();
        }
        return Dataset.of(rows, labels);
    }

    /**
     * The pictures of the folder with their labels, in data set order, without decoding them.
     *
     * @throws DatasetException if the folder, its cat/ or non-cat/ sub-folder is missing, or both are empty
     */
    public static List<Example> examples(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("image folder " + dir + " does not exist or is not a folder");
        }
        Path cats = dir.resolve(CAT_FOLDER);
        if (!Files.isDirectory(cats)) {
            throw new DatasetException(dir + " has no " + CAT_FOLDER + "/ sub-folder (" + layout() + ")");
        }
        List<Path> nonCatCandidates = NON_CAT_FOLDERS.stream().map(dir::resolve).filter(Files::isDirectory).toList();
        if (nonCatCandidates.isEmpty()) {
            throw new DatasetException(dir + " has no non-cat/ sub-folder (" + layout() + ")");
        }
        if (nonCatCandidates.size() > 1) {
            throw new DatasetException(dir + " has several non-cat folders " + nonCatCandidates + "; keep only one");
        }
        List<Example> examples = new ArrayList<>();
        pictures(cats).forEach(file -> examples.add(new Example(file, 1)));
        pictures(nonCatCandidates.get(0)).forEach(file -> examples.add(new Example(file, 0)));
        if (examples.isEmpty()) {
            throw new DatasetException("no pictures in " + cats + " or " + nonCatCandidates.get(0));
        }
        return examples;
    }

    private static List<Path> pictures(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(file -> file.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DatasetException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Either the input vector of a file or why it cannot be used. */
    private record Decoded(double[] vector, DatasetException failure) {
    }

    private static Decoded decode(Path file, ImagePreprocessor preprocessor) {
        try {
            return new Decoded(preprocessor.toInputVector(Files.readAllBytes(file)), null);
        } catch (ImageDecodingException e) {
            return new Decoded(null, new DatasetException("cannot use " + file + ": " + e.getMessage(), e));
        } catch (IOException e) {
            return new Decoded(null, new DatasetException("cannot read " + file + ": " + e, e));
        }
    }

    private static String layout() {
        return "expected DIR/cat/* and DIR/non-cat/*";
    }
}
