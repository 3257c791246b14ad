package com.catvsnoncat.model;

import com.catvsnoncat.nn.Network;
import com.catvsnoncat.nn.Standardizer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Reads and writes model files: a numpy .npz (zip of .npy arrays W1, b1, .., WL, bL and, for a standardised model,
 * input_mean and input_std) plus a {@code metadata.json} entry. Format described in docs/model-format.md.
 *
 * <p>Reading checks everything and reports the first problem as a {@link ModelFileException} with a one-line
 * message: not a zip, truncated or corrupt (zip CRC), missing metadata, unknown format or newer format version,
 * missing or unexpected arrays, unsupported .npy dtype/order, shapes that do not chain, layers that do not match
 * the metadata, content hash mismatch, non-finite parameters, standardizer size, and size limits against zip bombs.
 */
public final class ModelFile {
    public static final String METADATA_ENTRY = "metadata.json";
    /** Cap on all uncompressed entry bytes together; the reference model is under 1 MiB. */
    public static final long MAX_TOTAL_BYTES = 512L << 20;
    public static final int MAX_ENTRIES = 1024;
    public static final int MAX_METADATA_BYTES = 16 << 20;

    /** Inputs of {@link #warmUp}'s network: enough data for SHA-256 to be compiled (about 600 blocks of 64 bytes). */
    private static final int WARM_UP_INPUTS = 8192;

    // numpy's zip entries carry this time too; a fixed time (in DOS local form, so no time zone enters) keeps
    // the bytes of a model file reproducible.
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private ModelFile() {
    }

    /**
     * Writes the model with its content hash filled in, atomically: readers of {@code path} see the old file or
     * the complete new one, never a partial file. Missing parent folders are created.
     */
    public static void write(Path path, Model model) {
        byte[] bytes = toBytes(model);
        Path target = path.toAbsolutePath();
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new ModelFileException(path + ": cannot write model (" + e + ")", e);
        }
    }

    /**
     * The file's bytes: the same model always gives the same bytes (entries stored, not deflated, in a fixed
     * order with a fixed time), so the hash of a model file is reproducible.
     */
    public static byte[] toBytes(Model model) {
        Network network = model.network();
        Standardizer standardizer = model.standardizer();
        ModelMetadata metadata = model.metadata().withContentHash(ContentHash.of(network, standardizer));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        // Metadata first: a streaming reader learns the format version before the arrays.
        entries.put(METADATA_ENTRY, metadataBytes(metadata));
        for (int layer = 1; layer <= network.depth(); layer++) {
            entries.put("W" + layer + ".npy", Npy.write(NpyArray.of(network.weight(layer))));
            entries.put("b" + layer + ".npy", Npy.write(NpyArray.of(network.bias(layer))));
        }
        if (standardizer != null) {
            entries.put("input_mean.npy", Npy.write(NpyArray.of(standardizer.mean())));
            entries.put("input_std.npy", Npy.write(NpyArray.of(standardizer.scale())));
        }
        return zip(entries);
    }

    /**
     * Makes the bytes of a small made-up model and throws them away: run on a second core while a training run is
     * busy, it loads and compiles what writing the trained model needs (the JSON codec, SHA-256, the .npy and zip
     * writers), which a fresh JVM otherwise does on the run's critical path, right after the loop: about 0.15 s of
     * CPU for the reference model, against a few ms once warm. Writes nothing anywhere.
     */
    public static void warmUp() {
        RealMatrix weights = new Array2DRowRealMatrix(new double[1][WARM_UP_INPUTS], false);
        RealMatrix bias = new Array2DRowRealMatrix(new double[1][1], false);
        Network network = new Network(List.of(weights), List.of(bias));
        toBytes(new Model(network, null,
                ModelMetadata.create("warm-up", "0", network.layerSizes(), false).withAccuracy("train", 0.5)));
    }

    public static Model read(Path path) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            return ModelReader.read(in, path.toString());
        } catch (NoSuchFileException e) {
            throw new ModelFileException(path + ": no such file", e);
        } catch (IOException e) {
            throw new ModelFileException(path + ": cannot read (" + e + ")", e);
        }
    }

    /** Reads a model from a stream to its end; the stream is left open. */
    public static Model read(InputStream in) {
        return ModelReader.read(in, "model stream");
    }

    /** Reads a model shipped as a classpath resource, e.g. {@code "models/default.npz"}. */
    public static Model readResource(String name) {
        String resource = name.startsWith("/") ? name.substring(1) : name;
        String source = "classpath:" + resource;
        try (InputStream in = ModelFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelFileException(source + ": no such resource");
            }
            return ModelReader.read(new BufferedInputStream(in, 1 << 16), source);
        } catch (IOException e) {
            throw new ModelFileException(source + ": cannot read (" + e + ")", e);
        }
    }

    static byte[] metadataBytes(ModelMetadata metadata) {
        // Jackson indents with the platform's line separator; JSON strings cannot hold a raw one, so this
        // only normalises the layout and keeps the bytes the same on every platform.
        return (metadata.toJson().encodePrettily().replace(System.lineSeparator(), "\n") + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A zip of the given entries in order, stored uncompressed with a fixed time. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                byte[] content = entry.getValue();
                CRC32 crc = new CRC32();
                crc.update(content);
                ZipEntry zipEntry = new ZipEntry(entry.getKey());
                zipEntry.setMethod(ZipEntry.STORED);
                zipEntry.setSize(content.length);
                zipEntry.setCompressedSize(content.length);
                zipEntry.setCrc(crc.getValue());
                zipEntry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(zipEntry);
                zip.write(content);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }
}
