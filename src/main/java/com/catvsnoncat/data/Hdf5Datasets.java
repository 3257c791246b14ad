package com.catvsnoncat.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.FixedPoint;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads the reference HDF5 files: a dataset named {@code *_x} of shape (N, 64, 64, 3) uint8 and a dataset
 * {@code *_y} of N labels 0/1 (train_set_x/train_set_y, test_set_x/test_set_y).
 */
public final class Hdf5Datasets {
    private Hdf5Datasets() {
    }

    public static Dataset read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("no such file: " + file);
        }
        try (HdfFile hdf = new HdfFile(file)) {
            io.jhdf.api.Dataset images = findDataset(hdf, "_x", file);
            io.jhdf.api.Dataset labels = findDataset(hdf, "_y", file);
            int[] dims = images.getDimensions();
            int[] expected = {dims.length > 0 ? dims[0] : 0, InputVectors.SIDE, InputVectors.SIDE, InputVectors.CHANNELS};
            if (!Arrays.equals(dims, expected) || dims[0] == 0) {
                throw new DatasetException(file + ": " + images.getName() + " has shape " + Arrays.toString(dims)
                        + ", expected (N, 64, 64, 3)");
            }
            int count = dims[0];
            int[] labelValues = toLabels(labels.getDataFlat(), count, file);
            double[][] vectors = storedUnsignedBytes(images)
                    ? fromBytes(((ContiguousDataset) images).getBuffer(), count)
                    : toVectors(images.getDataFlat(), count, file);
            return Dataset.of(vectors, labelValues);
        } catch (DatasetException e) {
            throw e;
        } catch (RuntimeException e) {
            // jhdf reports a file that is not HDF5 or is damaged with various runtime exceptions.
            throw new DatasetException(file + " is not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
    }

    private static io.jhdf.api.Dataset findDataset(HdfFile hdf, String suffix, Path file) {
        for (Map.Entry<String, Node> child : hdf.getChildren().entrySet()) {
            if (child.getKey().endsWith(suffix) && child.getValue() instanceof io.jhdf.api.Dataset dataset) {
                return dataset;
            }
        }
        throw new DatasetException(file + " has no dataset named *" + suffix + " (found " + hdf.getChildren().keySet()
                + "); expected e.g. train_set_x and train_set_y");
    }

    /**
     * Whether the pixels are stored as they are, one unsigned byte each, in one block (the reference files, as h5py
     * writes them): then they are read from the file's bytes directly. jhdf's {@code getDataFlat} would first widen
     * every byte into an int array (a 10 MB copy for the reference training set, about 60 ms of CPU in a fresh JVM,
     * against about 10 ms for the bytes); chunked or compressed data still goes that way.
     */
    private static boolean storedUnsignedBytes(io.jhdf.api.Dataset images) {
        return images instanceof ContiguousDataset && images.getDataType() instanceof FixedPoint type
                && type.getSize() == 1 && !type.isSigned();
    }

    private static double[][] fromBytes(ByteBuffer pixels, int count) {
        double[][] rows = new double[count][];
        byte[] rgb = new byte[InputVectors.SIZE];
        for (int n = 0; n < count; n++) {
            pixels.get(rgb);
            rows[n] = InputVectors.fromRgbBytes(rgb);
        }
        return rows;
    }

    private static double[][] toVectors(Object flat, int count, Path file) {
        if (!(flat instanceof int[] pixels)) {
            throw new DatasetException(file + ": images must be uint8, found " + flat.getClass().getSimpleName());
        }
        double[][] rows = new double[count][];
        byte[] rgb = new byte[InputVectors.SIZE];
        for (int n = 0; n < count; n++) {
            int offset = n * InputVectors.SIZE;
            for (int i = 0; i < InputVectors.SIZE; i++) {
                int value = pixels[offset + i];
                if (value < 0 || value > 255) {
                    throw new DatasetException(file + ": pixel value " + value + " outside 0..255 in image " + n);
                }
                rgb[i] = (byte) value;
            }
            rows[n] = InputVectors.fromRgbBytes(rgb);
        }
        return rows;
    }

    private static int[] toLabels(Object flat, int count, Path file) {
        long[] values;
        if (flat instanceof long[] longs) {
            values = longs;
        } else if (flat instanceof int[] ints) {
            values = Arrays.stream(ints).asLongStream().toArray();
        } else {
            throw new DatasetException(file + ": labels must be integers, found " + flat.getClass().getSimpleName());
        }
        if (values.length != count) {
            throw new DatasetException(file + ": " + count + " images but " + values.length + " labels");
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            if (values[i] != 0 && values[i] != 1) {
                throw new DatasetException(file + ": label " + values[i] + " at " + i + " is neither 0 (non-cat) nor 1 (cat)");
            }
            labels[i] = (int) values[i];
        }
        return labels;
    }
}
