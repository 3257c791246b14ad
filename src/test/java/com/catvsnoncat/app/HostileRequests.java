package com.catvsnoncat.app;

import static com.catvsnoncat.data.TestImages.pngChunk;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * Generated hostile requests, one list per class of the ways a single request (or a few) could cost the service far
 * more than its size: each case differs in size, shape, route and spelling, drawn from a seeded random source so a
 * failing case can be made again. Nothing is stored; every case is built when asked for.
 */
final class HostileRequests {
    static final String ADMIN_TOKEN = "hostile-test-token";
    static final String INFER = "/v2/models/catvnoncat/infer";
    private static final List<String> URL_ROUTES = List.of("/api/classify", "/api/explain", "/web/cat",
            "/admin/reload", INFER);
    private static final List<String> JSON_TYPES = List.of("application/json", "Application/JSON; charset=utf-8",
            "application/json;charset=UTF-8", "APPLICATION/JSON");
    private static final String TOKEN_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~";

    /**
     * One request.
     *
     * @param name   what it is, for the report
     * @param head   the request line and headers, ending with the blank line
     * @param body   how its body is sent
     */
    record Case(String name, String head, RawExchange.Sender body) {
    }

    private HostileRequests() {
    }

    static String head(String method, String path, String contentType, long contentLength) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ADMIN_TOKEN + "\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + (contentLength < 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + contentLength + "\r\n")
                + "\r\n";
    }

    private static Case post(String name, String path, String contentType, byte[] body) {
        return new Case(name, head("POST", path, contentType, body.length), RawExchange.bytes(body));
    }

    /** Sizes from about 1 KiB to {@code max} bytes, spread evenly on a log scale. */
    private static int size(Random random, int max) {
        return (int) Math.exp(Math.log(1024) + random.nextDouble() * (Math.log(max) - Math.log(1024)));
    }

    // ---- 1. JSON bodies that expand when parsed ----

    static List<Case> expandingJson(Random random, int count) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String route = URL_ROUTES.get(i % URL_ROUTES.size());
            int size = size(random, 8 << 20);
            String shape = List.of("objects", "arrays", "deep", "keys", "numbers", "nulls", "strings")
                    .get(random.nextInt(7));
            String json = expanding(shape, size, route.equals(INFER) ? random.nextInt(3) : -1);
            cases.add(post(shape + " " + size + " B to " + route, route,
                    JSON_TYPES.get(random.nextInt(JSON_TYPES.size())), json.getBytes(StandardCharsets.UTF_8)));
        }
        return cases;
    }

    /**
     * About {@code size} bytes of JSON that parse into far more memory than their size.
     *
     * @param wrapping for the inference route, where the mass goes: 0 inputs, 1 a tensor's data, 2 outputs;
     *                 -1 a field beside "url"
     */
    private static String expanding(String shape, int size, int wrapping) {
        String unit = switch (shape) {
            case "objects" -> "{},";
            case "arrays" -> "[],";
            case "keys" -> "{\"k\":0},";
            case "numbers" -> "0,";
            case "nulls" -> "null,";
            case "strings" -> "\"\",";
            default -> "[";
        };
        int repeat = Math.max(1, size / unit.length());
        String mass = shape.equals("deep") ? "[".repeat(repeat) + "]".repeat(repeat)
                : "[" + unit.repeat(repeat) + "0]";
        return switch (wrapping) {
            case 0 -> "{\"inputs\":" + mass + "}";
            case 1 -> "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":[1,64,64,3],\"data\":" + mass
                    + "}]}";
            case 2 -> "{\"outputs\":" + mass + ",\"inputs\":[]}";
            default -> "{\"url\":\"https://example.com/cat.jpg\",\"cat_url\":\"https://example.com/cat.jpg\","
                    + "\"a\":" + mass + "}";
        };
    }

    // ---- 2. Pictures with one huge side ----

    static List<Case> hugeSides(Random random, int count) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean wide = random.nextBoolean();
            long longSide = 16_385 + (long) (random.nextDouble() * random.nextDouble() * 40_000_000);
            int shortSide = 1 + random.nextInt(3);
            String format = List.of("png", "png", "png", "gif", "jpeg", "bmp").get(random.nextInt(6));
            if (!format.equals("png")) {
                longSide = Math.min(longSide, 65_535); // their headers hold 16 bits
            }
            int width = (int) (wide ? longSide : shortSide);
            int height = (int) (wide ? shortSide : longSide);
            byte[] picture = switch (format) {
                case "png" -> png(width, height, List.of(0, 2, 6).get(random.nextInt(3)));
                case "gif" -> gif(width, height);
                case "jpeg" -> jpegHeader(width, height);
                default -> bmp(width, height);
            };
            String name = format + " " + width + "x" + height + " (" + picture.length + " B)";
            cases.add(switch (i % 4) {
                case 0 -> post(name + " raw", "/api/classify", "image/" + format, picture);
                case 1 -> post(name + " as octet-stream", "/api/explain", "application/octet-stream", picture);
                case 2 -> multipart(name + " multipart", picture);
                default -> post(name + " OIP BYTES", INFER, "application/json", ("{\"inputs\":[{\"name\":\"image\","
                        + "\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"" + Base64.getEncoder()
                        .encodeToString(picture) + "\"]}]}").getBytes(StandardCharsets.US_ASCII));
            });
        }
        return cases;
    }

    private static Case multipart(String name, byte[] picture) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--xYz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(picture);
        body.writeBytes("\r\n--xYz--\r\n".getBytes(StandardCharsets.US_ASCII));
        return post(name, "/api/classify", "multipart/form-data; boundary=xYz", body.toByteArray());
    }

    /** A real PNG of zeros (8 bits per sample): every row is there, so a decoder would really have to read it. */
    static byte[] png(int width, int height, int colourType) {
        int channels = colourType == 6 ? 4 : colourType == 2 ? 3 : 1;
        long rowBytes = 1 + (long) width * channels;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        byte[] zeros = new byte[1 << 16];
        byte[] out = new byte[1 << 16];
        for (long left = rowBytes * height; left > 0; left -= zeros.length) {
            deflater.setInput(zeros, 0, (int) Math.min(zeros.length, left));
            while (!deflater.needsInput()) {
                idat.write(out, 0, deflater.deflate(out));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(out, 0, deflater.deflate(out));
        }
        deflater.end();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        png.writeBytes(pngChunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8)
                .put((byte) colourType).put(new byte[3]).array()));
        png.writeBytes(pngChunk("IDAT", idat.toByteArray()));
        png.writeBytes(pngChunk("IEND", new byte[0]));
        return png.toByteArray();
    }

    /** A GIF header and one image descriptor of this size, then a little LZW data. */
    private static byte[] gif(int width, int height) {
        ByteBuffer gif = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        gif.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) width).putShort((short) height)
                .put((byte) 0x80).put((byte) 0).put((byte) 0).put(new byte[6]) // 2-colour table
                .put((byte) 0x2c).putShort((short) 0).putShort((short) 0).putShort((short) width)
                .putShort((short) height).put((byte) 0).put((byte) 2).put((byte) 2).put((byte) 0x4c)
                .put((byte) 0x01).put((byte) 0).put((byte) 0x3b);
        byte[] bytes = new byte[gif.position()];
        gif.flip().get(bytes);
        return bytes;
    }

    /** A baseline JPEG's start: SOI and a frame header announcing this size, then the end. */
    private static byte[] jpegHeader(int width, int height) {
        return ByteBuffer.allocate(23).put(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xc0, 0, 17, 8})
                .putShort((short) height).putShort((short) width)
                .put(new byte[] {3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0}).array();
    }

    /** A BMP header (24 bits) announcing this size, with a few bytes of pixels. */
    private static byte[] bmp(int width, int height) {
        return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'B').put((byte) 'M').putInt(64)
                .putInt(0).putInt(54).putInt(40).putInt(width).putInt(height).putShort((short) 1)
                .putShort((short) 24).putInt(0).putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0).array();
    }

    // ---- 3. Invented HTTP methods (metric labels) ----

    /** Each case is {@code perCase} requests, each with a new method name, to a route or a random path. */
    static List<List<Case>> inventedMethods(Random random, int count, int perCase) {
        List<List<Case>> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Case> burst = new ArrayList<>();
            for (int j = 0; j < perCase; j++) {
                StringBuilder method = new StringBuilder();
                int length = 1 + random.nextInt(30);
                for (int k = 0; k < length; k++) {
                    method.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
                }
                String path = random.nextBoolean() ? URL_ROUTES.get(random.nextInt(URL_ROUTES.size()))
                        : "/" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
                burst.add(new Case(method + " " + path, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: close\r\n\r\n", RawExchange.bytes(new byte[0])));
            }
            cases.add(burst);
        }
        return cases;
    }

    // ---- 4. OIP requests whose cost is not their size ----

    static List<Case> costlyInference(Random random, int count) {
        List<Case> cases = new ArrayList<>();
        String picture = "{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":[1,64,64,3],\"data\":["
                + "7,".repeat(12287) + "7]}";
        for (int i = 0; i < count; i++) {
            int n = size(random, 2_000_000);
            String kind = List.of("outputs", "bytes", "triplets", "shape", "dimensions", "inputs", "binary")
                    .get(i % 7);
            String json = switch (kind) {
                case "outputs" -> "{\"inputs\":[" + picture + "],\"outputs\":["
                        + ("{\"name\":\"" + (random.nextBoolean() ? "probability" : "label") + "\"},").repeat(n / 4)
                        + "{\"name\":\"label\"}]}";
                case "bytes" -> "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[" + n
                        + "],\"data\":[" + (random.nextBoolean() ? "\"\"," : "\"AA==\",").repeat(n) + "\"\"]}]}";
                case "triplets" -> "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"" + (random.nextBoolean() ? "UINT8"
                        : "FP32") + "\",\"data\":[" + "[1,2,3],".repeat(n) + "[1,2,3]],\"shape\":[" + (n / 4096 + 1)
                        + ",64,64,3]}]}";
                case "shape" -> "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":["
                        + (random.nextBoolean() ? Long.toString((long) n * n) : "1000000000") + ",64,64,3],"
                        + "\"data\":[" + "1,".repeat(Math.min(n, 500_000)) + "1]}]}";
                case "dimensions" -> "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":["
                        + "1,".repeat(n / 2) + "1],\"data\":[1]}]}";
                case "inputs" -> "{\"inputs\":[" + (picture + ",").repeat(Math.min(n / 1000 + 2, 150))
                        + picture + "]}";
                default -> null;
            };
            if (json == null) {
                cases.add(binaryElements(n));
            } else {
                cases.add(post(kind + " n=" + n, INFER, "application/json", json.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return cases;
    }

    // ---- The model repository's routes: names and versions that are not served, bodies that are not asked for ----

    /**
     * Model names and versions no server has (long, encoded separators and NULs, dots, numbers past a long), on every
     * route that takes them, with the admin token: metadata, statistics, readiness, inference, the repository's load
     * and unload, and the index with bodies that are large or not JSON. None names a served model, so none changes
     * what serves.
     */
    static List<Case> repositoryRoutes(Random random, int count) {
        List<String> names = List.of("resnet50", "a%2Fb", "%00", "catvnoncat%00", "CATVNONCAT",
                "catvnoncat.", "-x", "%FF%FE", "%C3%A9t%C3%A9",
                "x".repeat(64 + random.nextInt(2000)));
        List<String> versions = List.of("0", "-1", "01", "1.0", "99999999999999999999999", "9223372036854775807",
                "%00", "1%2F..", "v1", "x".repeat(100 + random.nextInt(2000)));
        String picture = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":[1,64,64,3],\"data\":["
                + "7,".repeat(12287) + "7]}]}";
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = names.get(random.nextInt(names.size()));
            String version = versions.get(random.nextInt(versions.size()));
            String model = "/v2/models/" + name;
            String versioned = "/v2/models/catvnoncat/versions/" + version;
            byte[] json = picture.getBytes(StandardCharsets.UTF_8);
            cases.add(switch (i % 8) {
                case 0 -> new Case("metadata or stats " + name, head("GET", model + (i % 16 == 0 ? "" : "/stats"),
                        null, 0), RawExchange.bytes(new byte[0]));
                case 1 -> new Case("ready v" + version, head("GET", versioned + "/ready", null, 0),
                        RawExchange.bytes(new byte[0]));
                case 2 -> post("infer v" + version, versioned + "/infer", "application/json", json);
                case 3 -> post("infer " + name, model + "/infer", "application/json", json);
                case 4 -> post("load " + name, "/v2/repository/models/" + name + "/load", "application/json",
                        "{}".getBytes(StandardCharsets.US_ASCII));
                case 5 -> post("unload " + name, "/v2/repository/models/" + name + "/unload", "application/json",
                        "{}".getBytes(StandardCharsets.US_ASCII));
                case 6 -> {
                    // Deeper than a control body may nest, and from small to far above its size limit.
                    int depth = 9 + random.nextInt(100_000);
                    yield post("index nested " + depth + " deep", "/v2/repository/index", "application/json",
                            ("{\"ready\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                                    .getBytes(StandardCharsets.US_ASCII));
                }
                default -> new Case("metadata or stats v" + version, head("GET", versioned
                        + (i % 16 == 7 ? "" : "/stats"), null, 0),
                        RawExchange.bytes(new byte[0]));
            });
        }
        return cases;
    }

    /** The binary extension with {@code n} tiny BYTES elements (4-byte lengths of 0 or 1). */
    private static Case binaryElements(int n) {
        byte[] header = ("{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[" + n
                + "],\"parameters\":{\"binary_data_size\":" + 4L * n + "}}]}").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[header.length + 4 * n];
        System.arraycopy(header, 0, body, 0, header.length);
        return new Case("binary elements n=" + n, "POST " + INFER + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/octet-stream\r\nInference-Header-Content-Length: " + header.length
                + "\r\nContent-Length: " + body.length + "\r\n\r\n", RawExchange.bytes(body));
    }

    // ---- 5. Slow bodies ----

    static List<Case> slowBodies(Random random, int count) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String route = URL_ROUTES.get(random.nextInt(URL_ROUTES.size()));
            boolean picture = route.startsWith("/api/") && random.nextBoolean();
            int declared = picture || route.equals(INFER) ? size(random, 10 << 20) : size(random, 12 * 1024);
            long pauseMs = 100 + random.nextInt(800);
            int piece = 1 + random.nextInt(64);
            boolean chunked = random.nextInt(4) == 0;
            String type = picture ? "image/jpeg" : "application/json";
            byte[] body = new byte[declared];
            String name = (chunked ? "chunked" : declared + " B") + " to " + route + ", " + piece + " B every "
                    + pauseMs + " ms";
            cases.add(new Case(name, head("POST", route, type, chunked ? -1 : declared),
                    chunked ? RawExchange.trickle(("1\r\n{\r\n").repeat(declared / 6)
                            .getBytes(StandardCharsets.US_ASCII), piece, pauseMs)
                            : RawExchange.trickle(body, piece, pauseMs)));
        }
        return cases;
    }

    // ---- 6. Multipart forms that never end ----

    static List<Case> unterminatedMultipart(Random random, int count) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String boundary = random.nextBoolean() ? "b" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36)
                    : "----WebKitFormBoundary" + "x".repeat(random.nextInt(40));
            boolean quoted = random.nextBoolean();
            int parts = 1 + random.nextInt(4);
            int imagePart = random.nextInt(parts + 1); // parts means no image part at all
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String newline = random.nextInt(4) == 0 ? "\n" : "\r\n";
            for (int p = 0; p < parts; p++) {
                String field = p == imagePart ? "image" : "f" + p;
                body.writeBytes(("--" + boundary + newline + "Content-Disposition: form-data; name=\"" + field
                        + "\"" + (p == imagePart ? "; filename=\"c.png\"" : "") + newline + newline)
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] content = new byte[size(random, 1 << 20) - 1000];
                random.nextBytes(content);
                body.writeBytes(content);
                if (p < parts - 1) {
                    body.writeBytes(newline.getBytes(StandardCharsets.US_ASCII));
                }
            }
            // Sometimes the end is cut inside a part header instead.
            if (random.nextInt(3) == 0) {
                body.writeBytes((newline + "--" + boundary + newline + "Content-Disposition: form-da")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            byte[] bytes = body.toByteArray();
            String type = "multipart/form-data; boundary=" + (quoted ? "\"" + boundary + "\"" : boundary);
            String route = random.nextBoolean() ? "/api/classify" : "/api/explain";
            cases.add(post(parts + " parts, " + bytes.length + " B, image part " + (imagePart < parts ? imagePart
                    : "none") + ", to " + route, route, type, bytes));
        }
        return cases;
    }
}
