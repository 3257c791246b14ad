package com.catvsnoncat.model;

import com.catvsnoncat.nn.MobileNetV2;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a feature extractor file as {@code make backbone} writes it (tools/backbone/extract.cjs): a numpy .npz
 * holding {@code topology.json} (the source's Keras layer configs and the shapes of their weights) and one 1-D
 * float64 .npy per weight, named {@code layer/variable.npy}, whose values are float32 values stored exactly.
 */
public final class BackboneFile {
    /** The extractor shipped in the jar: MobileNetV2 up to block_10_project_BN. */
    public static final String MOBILENETV2 = "mobilenetv2-block10";
    private static final String TOPOLOGY = "topology.json";
    /** The bundled file is 2.7 MB; anything far larger is not one of ours. */
    private static final int MAX_BYTES = 64 << 20;

    private static volatile Loaded bundled;

    private BackboneFile() {
    }

    /** An extractor and the SHA-256 (hex) of the file it came from. */
    public record Loaded(String name, MobileNetV2 network, String sha256) {
    }

    /**
     * The extractor of that name shipped in the jar, read once.
     *
     * @throws ModelFileException for a name this version does not ship
     */
    public static Loaded bundled(String name) {
        if (!MOBILENETV2.equals(name)) {
            throw new ModelFileException("unknown feature extractor '" + name + "'; this version ships only '"
                    + MOBILENETV2 + "'");
        }
        Loaded loaded = bundled;
        if (loaded == null) {
            synchronized (BackboneFile.class) {
                if (bundled == null) {
                    bundled = readResource(name);
                }
                loaded = bundled;
            }
        }
        return loaded;
    }

    private static Loaded readResource(String name) {
        String resource = "backbone/" + name + ".npz";
        try (InputStream in = BackboneFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelFileException("classpath:" + resource + ": no such resource");
            }
            return read(name, in.readNBytes(MAX_BYTES + 1), "classpath:" + resource);
        } catch (IOException e) {
            throw new ModelFileException("classpath:" + resource + ": cannot read (" + e + ")", e);
        }
    }

    /** Reads and builds an extractor from the bytes of its file. */
    public static Loaded read(String name, byte[] file, String source) {
        if (file.length > MAX_BYTES) {
            throw new ModelFileException(source + ": larger than " + MAX_BYTES + " bytes");
        }
        Map<String, NpyArray> arrays = new HashMap<>();
        JsonObject topology = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String entryName = entry.getName();
                if (entryName.equals(TOPOLOGY)) {
                    topology = new JsonObject(new String(zip.readAllBytes(), StandardCharsets.UTF_8));
                } else if (entryName.endsWith(".npy")) {
                    arrays.put(entryName.substring(0, entryName.length() - 4), Npy.read(zip, MAX_BYTES));
                } else {
                    throw new ModelFileException(source + ": unexpected entry " + entryName);
                }
            }
        } catch (IOException | DecodeException e) {
            throw new ModelFileException(source + ": not a feature extractor file (" + e.getMessage() + ")", e);
        }
        if (topology == null) {
            throw new ModelFileException(source + ": no " + TOPOLOGY);
        }
        try {
            return new Loaded(name, MobileNetV2.build(layers(topology), weights(topology, arrays)), sha256(file));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new ModelFileException(source + ": " + e.getMessage(), e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private static List<MobileNetV2.Layer> layers(JsonObject topology) {
        List<MobileNetV2.Layer> layers = new ArrayList<>();
        for (Object item : topology.getJsonArray("layers")) {
            JsonObject layer = (JsonObject) item;
            List<String> inputs = new ArrayList<>();
            // Keras 2 inbound_nodes: [[[name, nodeIndex, tensorIndex, kwargs], ...]] (one call of the layer)
            JsonArray nodes = layer.getJsonArray("inbound_nodes");
            if (nodes.size() > 1) {
                throw new IllegalArgumentException(layer.getString("name") + ": a layer called more than once");
            }
            for (Object node : nodes) {
                for (Object inbound : (JsonArray) node) {
                    inputs.add(((JsonArray) inbound).getString(0));
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>) plain(layer.getJsonObject("config"));
            layers.add(new MobileNetV2.Layer(layer.getString("class_name"), layer.getString("name"), inputs, config));
        }
        return layers;
    }

    private static Map<String, MobileNetV2.Weight> weights(JsonObject topology, Map<String, NpyArray> arrays) {
        Map<String, MobileNetV2.Weight> weights = new HashMap<>();
        for (Object item : topology.getJsonArray("weights")) {
            JsonObject spec = (JsonObject) item;
            String name = spec.getString("name");
            NpyArray array = arrays.remove(name);
            if (array == null) {
                throw new IllegalArgumentException("missing " + name + ".npy");
            }
            JsonArray shapeJson = spec.getJsonArray("shape");
            int[] shape = new int[shapeJson.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeJson.getInteger(i);
                count *= shape[i];
            }
            double[] data = array.data();
            if (array.dimensions() != 1 || data.length != count) {
                throw new IllegalArgumentException(name + ".npy has shape " + NpyArray.describe(array.shape())
                        + ", topology.json says " + shapeJson.encode());
            }
            float[] values = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                values[i] = (float) data[i];
            }
            weights.put(name, new MobileNetV2.Weight(shape, values));
        }
        if (!arrays.isEmpty()) {
            throw new IllegalArgumentException("arrays not listed in topology.json: " + arrays.keySet());
        }
        return weights;
    }

    /** JSON values as plain maps, lists, strings, numbers and booleans. */
    private static Object plain(Object value) {
        if (value instanceof JsonObject object) {
            return plain(object.getMap());
        }
        if (value instanceof JsonArray array) {
            return plain(array.getList());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> {
                if (item != null) {
                    copy.put((String) key, plain(item));
                }
            });
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(plain(item)));
            return copy;
        }
        return value;
    }
}
