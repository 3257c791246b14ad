package com.catvsnoncat.bench;

import com.catvsnoncat.grpc.v2.ModelInferRequest;
import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * What the benchmark serves and sends: pictures made from the reference data set (a 64x64 PNG as it is, the same
 * picture upscaled to a 640x640 JPEG, a batch of 32 as a UINT8 Open Inference Protocol request), an image server
 * (the nginx of the original's figure) and a fake Open-Meteo answering after a fixed delay, both on 127.0.0.1 in
 * their own Vert.x instance (one event loop).
 */
final class BenchmarkFixtures implements AutoCloseable {
    static final String JPEG_PATH = "/cat-640.jpg";
    static final String OTLP_PATH = "/v1/traces";
    static final int JPEG_SIDE = 640;
    static final float JPEG_QUALITY = 0.9f;
    static final int BATCH = 32;
    private static final int SIDE = 64;

    final byte[] png64;
    final byte[] jpeg640;
    final Buffer inferBatch;
    final BinaryRequest binaryInferBatch;
    /** The first picture alone, UINT8 [1, 64, 64, 3], as a REST binary-extension body and as a gRPC message. */
    final BinaryRequest binaryInferSingle;
    final ModelInferRequest grpcInferSingle;
    private final Vertx vertx;
    private final HttpServer imageServer;
    private final HttpServer weatherServer;

    private BenchmarkFixtures(byte[] png64, byte[] jpeg640, byte[] inferPixels, Buffer inferBatch,
                              BinaryRequest binaryInferBatch, Vertx vertx, HttpServer imageServer,
                              HttpServer weatherServer) {
        this.png64 = png64;
        this.jpeg640 = jpeg640;
        this.inferBatch = inferBatch;
        this.binaryInferBatch = binaryInferBatch;
        byte[] single = Arrays.copyOf(inferPixels, SIDE * SIDE * 3);
        this.binaryInferSingle = binaryInferRequest(single, 1);
        this.grpcInferSingle = grpcInferRequest(single);
        this.vertx = vertx;
        this.imageServer = imageServer;
        this.weatherServer = weatherServer;
    }

    /**
     * @param dataset the data set folder, with images/test/{cat,non-cat}/*.png
     * @param port    the image server listens on it and the weather upstream on the next; 0: any free ports
     */
    static BenchmarkFixtures start(Path dataset, long weatherDelayMs, int port) throws IOException {
        List<Path> pictures = testPictures(dataset);
        byte[] png = Files.readAllBytes(pictures.get(0));
        byte[] jpeg = upscaledJpeg(ImageIO.read(pictures.get(0).toFile()));
        byte[] batchPixels = pixels(pictures.subList(0, BATCH));
        Buffer batch = inferRequest(batchPixels, BATCH);
        BinaryRequest binaryBatch = binaryInferRequest(batchPixels, BATCH);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Buffer jpegBuffer = Buffer.buffer(jpeg);
        HttpServer images = vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals(JPEG_PATH)) {
                request.response().putHeader("Content-Type", "image/jpeg").end(jpegBuffer);
            } else if (request.path().equals(OTLP_PATH)) {
                // An OTLP/HTTP collector's answer: an empty ExportTraceServiceResponse is zero protobuf bytes.
                request.body().onComplete(body -> request.response()
                        .putHeader("Content-Type", "application/x-protobuf").end());
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(port, "127.0.0.1").await();
        Buffer forecast = new JsonObject().put("current", new JsonObject().put("temperature_2m", 21.5)
                .put("relative_humidity_2m", 40).put("weather_code", 1)).toBuffer();
        HttpServer weather = vertx.createHttpServer().requestHandler(request ->
                vertx.setTimer(weatherDelayMs, timer -> request.response()
                        .putHeader("Content-Type", "application/json").end(forecast)))
                .listen(port == 0 ? 0 : port + 1, "127.0.0.1").await();
        return new BenchmarkFixtures(png, jpeg, batchPixels, batch, binaryBatch, vertx, images, weather);
    }

    String imageUrl() {
        return "http://127.0.0.1:" + imagePort() + JPEG_PATH;
    }

    int imagePort() {
        return imageServer.actualPort();
    }

    /** Where a traced server sends its spans (the image server answers as an OTLP collector too). */
    String otlpEndpoint() {
        return "http://127.0.0.1:" + imagePort() + OTLP_PATH;
    }

    String weatherBaseUrl() {
        return "http://127.0.0.1:" + weatherServer.actualPort();
    }

    @Override
    public void close() {
        vertx.close().await();
    }

    static List<Path> testPictures(Path dataset) throws IOException {
        Path folder = dataset.resolve("images").resolve("test");
        try (Stream<Path> files = Files.walk(folder)) {
            List<Path> pngs = files.filter(file -> file.toString().endsWith(".png")).sorted().toList();
            if (pngs.size() < BATCH) {
                throw new IllegalArgumentException("expected at least " + BATCH + " PNGs under " + folder);
            }
            return pngs;
        }
    }

    /** The reference picture stretched to 640x640 (bicubic), as a photo from the web would be sent. */
    static byte[] upscaledJpeg(BufferedImage picture) throws IOException {
        BufferedImage large = new BufferedImage(JPEG_SIDE, JPEG_SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = large.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        graphics.drawImage(picture, 0, 0, JPEG_SIDE, JPEG_SIDE, null);
        graphics.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(large, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** {"inputs": [{"name", "datatype": "UINT8", "shape": [32, 64, 64, 3], "data": [...]}]}, flat data. */
    /** The pictures' RGB values, channel-last, one byte each. */
    private static byte[] pixels(List<Path> pictures) {
        byte[] pixels = new byte[pictures.size() * SIDE * SIDE * 3];
        int i = 0;
        for (Path file : pictures) {
            BufferedImage picture = read(file);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int rgb = picture.getRGB(x, y);
                    for (int shift = 16; shift >= 0; shift -= 8) {
                        pixels[i++] = (byte) (rgb >> shift);
                    }
                }
            }
        }
        return pixels;
    }

    private static String inputHeader(int count) {
        return "{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":[" + count + "," + SIDE + "," + SIDE + ",3]";
    }

    /** The batch as JSON numbers, as most clients send it. */
    private static Buffer inferRequest(byte[] pixels, int count) {
        StringBuilder json = new StringBuilder("{\"inputs\":[").append(inputHeader(count)).append(",\"data\":[");
        for (int i = 0; i < pixels.length; i++) {
            json.append(i == 0 ? "" : ",").append(pixels[i] & 0xff);
        }
        return Buffer.buffer(json.append("]}]}").toString());
    }

    /** The first test picture's RGB values, UINT8 [64, 64, 3]. */
    static byte[] firstPicture(Path dataset) throws IOException {
        return pixels(testPictures(dataset).subList(0, 1));
    }

    /** One picture (UINT8 [1, 64, 64, 3]) for the model "catvnoncat", in raw_input_contents. */
    static ModelInferRequest grpcInferRequest(byte[] picture) {
        return ModelInferRequest.newBuilder().setModelName("catvnoncat")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("UINT8")
                        .addAllShape(List.of(1L, (long) SIDE, (long) SIDE, 3L)))
                .addRawInputContents(ByteString.copyFrom(picture)).build();
    }

    /** The batch with the binary tensor data extension: a JSON header (its length kept apart), then the bytes. */
    static BinaryRequest binaryInferRequest(byte[] pixels, int count) {
        byte[] header = ("{\"inputs\":[" + inputHeader(count) + ",\"parameters\":{\"binary_data_size\":"
                + pixels.length + "}}]}").getBytes(StandardCharsets.UTF_8);
        return new BinaryRequest(header.length, Buffer.buffer(header).appendBytes(pixels));
    }

    /** A request body with a JSON header of {@code headerLength} bytes. */
    record BinaryRequest(int headerLength, Buffer body) {
    }

    private static BufferedImage read(Path file) {
        try {
            BufferedImage picture = ImageIO.read(file.toFile());
            if (picture.getWidth() != SIDE || picture.getHeight() != SIDE) {
                throw new IllegalArgumentException(file + " is not 64x64");
            }
            return picture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
