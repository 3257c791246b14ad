package com.catvsnoncat.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a data set by what the path is: an HDF5 file like the reference's, or a folder of cat/ and non-cat/. */
public final class Datasets {
    private Datasets() {
    }

    public static Dataset load(Path path) {
        if (Files.isDirectory(path)) {
            return ImageFolderDataset.load(path);
        }
        if (!Files.exists(path)) {
            throw new DatasetException("no such file or folder: " + path);
        }
        return Hdf5Datasets.read(path);
    }
}
