package com.catvsnoncat.model;

import com.catvsnoncat.nn.FeatureExtractor;
import com.catvsnoncat.nn.Network;
import com.catvsnoncat.nn.Standardizer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.apache.commons.math3.linear.RealMatrix;

/** Reads and validates one model file; see {@link ModelFile} for the checks. Not thread-safe, use once. */
final class ModelReader {
    private static final Pattern ARRAY_ENTRY = Pattern.compile("(W|b)[1-9][0-9]{0,3}\\.npy|input_mean\\.npy|input_std\\.npy");

    private final String source;
    private final Map<String, NpyArray> arrays = new TreeMap<>();
    private ModelMetadata metadata;
    private Map<String, NpyArray> original;
    // Problems with the arrays wait until the metadata has been read: if the file comes from a newer format,
    // that is the error to report, not the entries this version does not understand.
    private ModelFileException deferred;
    private String currentEntry;

    private ModelReader(String source) {
        this.source = source;
    }

    static Model read(InputStream raw, String source) {
        return new ModelReader(source).readAll(raw);
    }

    private Model readAll(InputStream raw) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        Set<String> names = new HashSet<>();
        ZipEndCheck end = new ZipEndCheck(new DigestInputStream(raw, sha256));
        try (ZipInputStream zip = new ZipInputStream(end)) {
            Limited limited = new Limited(zip);
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (names.size() == ModelFile.MAX_ENTRIES) {
                    throw fail("more than " + ModelFile.MAX_ENTRIES + " zip entries");
                }
                if (!names.add(entry.getName())) {
                    throw fail("duplicate zip entry " + entry.getName());
                }
                currentEntry = entry.getName();
                readEntry(currentEntry, limited); // reads to the entry's end, where the zip CRC is checked
                currentEntry = null;
            }
            if (names.isEmpty()) {
                throw fail("not a model file: no zip entries found (not a zip archive, or truncated)");
            }
            end.checkEnd(names.size());
        } catch (Limited.Exceeded e) {
            throw fail(e.getMessage());
        } catch (ZipException | EOFException e) {
            throw fail("corrupt or truncated zip archive" + (currentEntry == null ? "" : " in entry " + currentEntry)
                    + " (" + (e.getMessage() == null ? "unexpected end of file" : e.getMessage()) + ")");
        } catch (IllegalArgumentException e) {
            // ZipInputStream's way of reporting an entry name that is not valid UTF-8
            throw fail("corrupt zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw fail("cannot read: " + e);
        }
        if (metadata == null && names.contains(OriginalParameters.ENTRY)) {
            return imported(names, HexFormat.of().formatHex(sha256.digest()));
        }
        if (metadata == null) {
            throw fail("missing metadata.json: not a catvsnoncat model file");
        }
        if (names.contains(OriginalParameters.ENTRY)) {
            throw fail("unexpected zip entry " + OriginalParameters.ENTRY + " beside metadata.json");
        }
        if (deferred != null) {
            throw deferred;
        }
        return assemble();
    }

    private void readEntry(String name, Limited in) throws IOException {
        if (name.equals(ModelFile.METADATA_ENTRY)) {
            metadata = parseMetadata(in.readNBytes(ModelFile.MAX_METADATA_BYTES + 1));
        } else if (name.equals(OriginalParameters.ENTRY)) {
            try {
                original = OriginalParameters.read(in);
            } catch (ModelFileException e) {
                defer(fail(name + ": " + e.getMessage()));
                in.transferTo(OutputStream.nullOutputStream());
            }
        } else if (!ARRAY_ENTRY.matcher(name).matches()) {
            defer(fail("unexpected zip entry " + name));
            in.transferTo(OutputStream.nullOutputStream());
        } else {
            try {
                arrays.put(name.substring(0, name.length() - ".npy".length()), Npy.read(in, in.remaining()));
            } catch (ModelFileException e) {
                defer(fail(name + ": " + e.getMessage()));
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }

    private ModelMetadata parseMetadata(byte[] bytes) {
        if (bytes.length > ModelFile.MAX_METADATA_BYTES) {
            throw fail("metadata.json is larger than " + ModelFile.MAX_METADATA_BYTES + " bytes");
        }
        JsonObject json;
        try {
            json = new JsonObject(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            throw fail("metadata.json is not UTF-8 text");
        } catch (DecodeException e) {
            throw fail("metadata.json is not a JSON object (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        try {
            return ModelMetadata.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw fail("metadata.json: " + e.getMessage());
        }
    }

    /** The original system's file: {@value OriginalParameters#ENTRY} and nothing else. */
    private Model imported(Set<String> names, String sha256) {
        if (deferred != null) {
            throw deferred;
        }
        if (names.size() != 1) {
            throw fail("entries beside " + OriginalParameters.ENTRY + " and no metadata.json: neither the original "
                    + "system's model file nor ours");
        }
        try {
            return OriginalParameters.toModel(original, sha256);
        } catch (IllegalArgumentException e) {
            throw fail(OriginalParameters.ENTRY + ": the arrays do not form a network: " + e.getMessage());
        }
    }

    private Model assemble() {
        int depth = metadata.layers().length - 1;
        List<RealMatrix> weights = new ArrayList<>();
        List<RealMatrix> biases = new ArrayList<>();
        for (int layer = 1; layer <= depth; layer++) {
            weights.add(matrix("W" + layer, depth));
            biases.add(matrix("b" + layer, depth));
        }
        NpyArray mean = arrays.remove("input_mean");
        NpyArray std = arrays.remove("input_std");
        if (!arrays.isEmpty()) {
            throw fail("unexpected arrays " + arrays.keySet() + ": metadata.json lists " + depth + " layers");
        }
        Network network;
        try {
            network = new Network(weights, biases);
        } catch (IllegalArgumentException e) {
            throw fail("the arrays do not form a network: " + e.getMessage());
        }
        Standardizer standardizer = standardizer(mean, std);
        String stored = metadata.contentHash().orElseThrow(() -> fail("metadata.json has no contentHash"));
        String actual = ContentHash.of(network, standardizer);
        if (!stored.equals(actual)) {
            throw fail("content hash mismatch: metadata.json says " + stored + " but the arrays hash to " + actual
                    + " (the file was modified or damaged)");
        }
        FeatureExtractor features = metadata.features().map(this::extractor).orElse(null);
        try {
            return new Model(features, network, standardizer, metadata);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    /** The bundled extractor the metadata names, refused unless it is the very file the model was trained with. */
    private FeatureExtractor extractor(ModelMetadata.Features named) {
        BackboneFile.Loaded bundled;
        try {
            bundled = BackboneFile.bundled(named.extractor());
        } catch (ModelFileException e) {
            throw fail(e.getMessage());
        }
        if (!bundled.sha256().equals(named.sha256())) {
            throw fail("the model was trained on the feature extractor " + named.extractor() + " with sha256 "
                    + named.sha256() + ", but this build ships one with sha256 " + bundled.sha256()
                    + "; retrain the model with this build");
        }
        try {
            return new FeatureExtractor(bundled.name(), bundled.network(), bundled.sha256(), named.inputSize());
        } catch (IllegalArgumentException e) {
            throw fail("metadata.json: " + e.getMessage());
        }
    }

    private RealMatrix matrix(String name, int depth) {
        NpyArray array = arrays.remove(name);
        if (array == null) {
            throw fail("missing " + name + ".npy (metadata.json lists " + depth + " layers)");
        }
        int[] shape = array.shape();
        if (shape.length != 2 || shape[0] == 0 || shape[1] == 0) {
            throw fail(name + ".npy must be a non-empty 2-D array, has shape " + NpyArray.describe(shape));
        }
        return array.toMatrix();
    }

    private Standardizer standardizer(NpyArray mean, NpyArray std) {
        if (mean == null && std == null) {
            return null;
        }
        if (mean == null || std == null) {
            throw fail(mean == null ? "input_std.npy without input_mean.npy" : "input_mean.npy without input_std.npy");
        }
        if (mean.dimensions() != 1 || std.dimensions() != 1) {
            throw fail("input_mean.npy and input_std.npy must be 1-D, have shapes "
                    + NpyArray.describe(mean.shape()) + " and " + NpyArray.describe(std.shape()));
        }
        try {
            return new Standardizer(mean.data(), std.data());
        } catch (IllegalArgumentException e) {
            throw fail("input_mean.npy/input_std.npy: " + e.getMessage());
        }
    }

    private void defer(ModelFileException problem) {
        if (deferred == null) {
            deferred = problem;
        }
    }

    private ModelFileException fail(String problem) {
        return new ModelFileException(source + ": " + problem);
    }

    /** Counts every uncompressed byte read from the archive against {@link ModelFile#MAX_TOTAL_BYTES}. */
    private static final class Limited extends FilterInputStream {
        private long remaining = ModelFile.MAX_TOTAL_BYTES;

        Limited(InputStream in) {
            super(in);
        }

        long remaining() {
            return remaining;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return Math.max(0, read(new byte[(int) Math.min(n, 8192)]));
        }

        @Override
        public void close() {
            // The entries are read one after another from the same zip stream.
        }

        private void count(int n) throws Exceeded {
            remaining -= n;
            if (remaining < 0) {
                throw new Exceeded("uncompressed contents larger than " + ModelFile.MAX_TOTAL_BYTES
                        + " bytes (a zip bomb?)");
            }
        }

        /** An IOException so that it passes through {@link Npy#read} and is never deferred. */
        static final class Exceeded extends IOException {
            Exceeded(String message) {
                super(message);
            }
        }
    }
}
