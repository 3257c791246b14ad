package com.catvsnoncat.classifier;

import static com.catvsnoncat.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.ReferenceData;
import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.data.ImagePreprocessor;
import com.catvsnoncat.model.Model;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The classifier through its event-bus API, as the gateway uses it. */
@ExtendWith(VertxExtension.class)
class ClassifierVerticleTest {
    @TempDir
    Path dir;

    private Future<String> deploy(Vertx vertx, JsonObject config) {
        return vertx.deployVerticle(new ClassifierVerticle(), new DeploymentOptions().setConfig(config));
    }

    private static JsonObject request(Vertx vertx, String address, JsonObject body) throws Exception {
        Message<JsonObject> reply = await(vertx.eventBus().request(address, body));
        return reply.body();
    }

    /** The failure code and message of a request that must fail. */
    private static ReplyException failure(Vertx vertx, String address, JsonObject body) {
        try {
            await(vertx.eventBus().request(address, body));
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ReplyException.class);
            return (ReplyException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected " + address + " to fail");
    }

    @Test
    void classifiesTheBytesOfACatPictureLikeTheNetworkDoes(Vertx vertx) throws Exception {
        Model model = ClassifierTesting.trainedModel();
        await(deploy(vertx, ClassifierTesting.config(ClassifierTesting.write(dir, "model.npz", model))));
        byte[] cat = ClassifierTesting.read(ClassifierTesting.catsTheModelGetsRight(model, 1).get(0));

        JsonObject reply = request(vertx, ClassifierApi.CLASSIFY, new JsonObject().put(ClassifierApi.IMAGE, cat));

        double expected = model.network().predict(new ImagePreprocessor().toInputVector(cat));
        assertThat(reply.getString(ClassifierApi.LABEL)).isEqualTo(ClassifierApi.CAT);
        assertThat(reply.getDouble(ClassifierApi.PROBABILITY)).isCloseTo(expected, within(1e-12));
        assertThat(reply.getJsonObject(ClassifierApi.MODEL_INFO))
                .isEqualTo(new JsonObject().put("name", "catvnoncat-test").put("version", "1"));
        JsonObject timings = reply.getJsonObject(ClassifierApi.TIMINGS);
        assertThat(timings.fieldNames()).containsExactlyInAnyOrder("fetchMs", "decodeMs", "inferMs", "totalMs");
        assertThat(timings.getDouble("totalMs")).isGreaterThanOrEqualTo(timings.getDouble("inferMs"));
    }

    @Test
    void classifiesAPictureGivenByUrl(Vertx vertx) throws Exception {
        Model model = ClassifierTesting.trainedModel();
        byte[] cat = ClassifierTesting.read(ClassifierTesting.catsTheModelGetsRight(model, 1).get(0));
        ImageServer server = await(ImageServer.start(vertx)).bytes("/cat.png", cat).redirect("/moved", "/cat.png");
        await(deploy(vertx, ClassifierTesting.config(ClassifierTesting.write(dir, "model.npz", model))));

        JsonObject reply = request(vertx, ClassifierApi.CLASSIFY,
                new JsonObject().put(ClassifierApi.URL, server.url("/moved")));

        assertThat(reply.getString(ClassifierApi.LABEL)).isEqualTo(ClassifierApi.CAT);
        assertThat(reply.getDouble(ClassifierApi.PROBABILITY))
                .isCloseTo(model.network().predict(new ImagePreprocessor().toInputVector(cat)), within(1e-12));
        assertThat(reply.getJsonObject(ClassifierApi.TIMINGS).getDouble("fetchMs")).isPositive();

        ReplyException missing = failure(vertx, ClassifierApi.CLASSIFY,
                new JsonObject().put(ClassifierApi.URL, server.url("/missing.png")));
        assertThat(missing.failureCode()).isEqualTo(422);
        assertThat(missing).hasMessage("the image URL answered 404");
    }

    @Test
    void refusesToFetchFromLoopbackWhenNotAllowed(Vertx vertx) throws Exception {
        ImageServer server = await(ImageServer.start(vertx)).bytes("/cat.png", ClassifierTesting.noisePng(64, 1));
        JsonObject config = ClassifierTesting.config(
                ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("1")));
        config.getJsonObject("fetch").put("allowLoopback", false);
        await(deploy(vertx, config));

        ReplyException refused = failure(vertx, ClassifierApi.CLASSIFY,
                new JsonObject().put(ClassifierApi.URL, server.url("/cat.png")));
        assertThat(refused.failureCode()).isEqualTo(422);
        assertThat(refused).hasMessageContaining("loopback");
        ReplyException ftp = failure(vertx, ClassifierApi.CLASSIFY,
                new JsonObject().put(ClassifierApi.URL, "ftp://example.com/cat.png"));
        assertThat(ftp.failureCode()).isEqualTo(400);
    }

    @Test
    void answersTimeoutWhenTheRequestOutlivesItsDeadline(Vertx vertx) throws Exception {
        ImageServer server = await(ImageServer.start(vertx)).on("/silent", request -> { });
        await(deploy(vertx, ClassifierTesting.config(
                ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("1"))).put("deadlineMs", 300)));

        ReplyException late = failure(vertx, ClassifierApi.CLASSIFY,
                new JsonObject().put(ClassifierApi.URL, server.url("/silent")));
        assertThat(late.failureCode()).isEqualTo(Failure.TIMEOUT.status());
    }

    @Test
    void countsWorkThatFinishesAfterItsRequestWasAnswered504AsAFailure(Vertx vertx) throws Exception {
        byte[] png = ClassifierTesting.encode(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png");
        ImageServer server = await(ImageServer.start(vertx)).on("/late", request -> vertx.setTimer(600, t ->
                request.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(png))));
        await(deploy(vertx, ClassifierTesting.config(
                ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("1"))).put("deadlineMs", 300)));

        assertThat(failure(vertx, ClassifierApi.CLASSIFY, new JsonObject().put(ClassifierApi.URL, server.url("/late")))
                .failureCode()).isEqualTo(Failure.TIMEOUT.status());

        // The picture arrives after the 504 and is classified: the client saw a failure, so the statistics do too.
        JsonObject figures;
        do {
            vertx.timer(50).await();
            figures = request(vertx, ClassifierApi.STATS, new JsonObject()).getJsonArray(ClassifierApi.MODEL_STATS)
                    .getJsonObject(0).getJsonObject("inference_stats");
        } while (figures.getJsonObject("success").getLong("count") + figures.getJsonObject("fail").getLong("count")
                == 0);
        assertThat(figures.getJsonObject("fail").getLong("count")).isEqualTo(1);
        assertThat(figures.getJsonObject("success").getLong("count")).isZero();
    }

    @Test
    void answersBadPicturesWithTheirOwnStatus(Vertx vertx) throws Exception {
        await(deploy(vertx, ClassifierTesting.config(
                ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("1")))));
        byte[] jpeg = ClassifierTesting.encode(new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB), "jpeg");

        assertThat(codeOfClassifying(vertx, "not a picture at all".getBytes())).isEqualTo(415);
        assertThat(codeOfClassifying(vertx, Arrays.copyOf(jpeg, jpeg.length / 2))).isEqualTo(422);
        assertThat(codeOfClassifying(vertx, new byte[0])).isEqualTo(400);
        assertThat(failure(vertx, ClassifierApi.CLASSIFY, new JsonObject()).failureCode()).isEqualTo(400);
        assertThat(failure(vertx, ClassifierApi.CLASSIFY, new JsonObject().put(ClassifierApi.IMAGE, 42))
                .failureCode()).isEqualTo(400);
    }

    @Test
    void classifiesATiffAndNamesAPhonesHeicInTheRefusal(Vertx vertx) throws Exception {
        await(deploy(vertx, ClassifierTesting.config(
                ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("1")))));
        byte[] tiff = ClassifierTesting.encode(new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB), "tiff");
        byte[] heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e',
            'i', 'c', 0, 0, 0, 0};

        JsonObject answer = request(vertx, ClassifierApi.CLASSIFY, new JsonObject().put(ClassifierApi.IMAGE, tiff));
        ReplyException refused = failure(vertx, ClassifierApi.CLASSIFY, new JsonObject().put(ClassifierApi.IMAGE, heic));

        assertThat(answer.getDouble(ClassifierApi.PROBABILITY)).isBetween(0.0, 1.0);
        assertThat(refused.failureCode()).isEqualTo(415);
        assertThat(refused).hasMessageContaining("HEIC pictures are not supported: convert the picture to JPEG or PNG")
                .hasMessageContaining("JPEG, PNG, GIF, BMP, WebP or TIFF");
    }

    private static int codeOfClassifying(Vertx vertx, byte[] bytes) {
        return failure(vertx, ClassifierApi.CLASSIFY, new JsonObject().put(ClassifierApi.IMAGE, bytes)).failureCode();
    }

    @Test
    void refusesWorkBeyondTheQueueAtOnceAndFinishesTheRest(Vertx vertx) throws Exception {
        JsonObject config = ClassifierTesting.config(
                ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("1")))
                .put("workers", 1).put("maxQueued", 1);
        await(deploy(vertx, config));
        JsonObject body = new JsonObject().put(ClassifierApi.IMAGE, ClassifierTesting.noisePng(1500, 2));

        List<Future<Message<Object>>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(vertx.eventBus().request(ClassifierApi.CLASSIFY, body));
        }
        await(Future.join(requests).transform(all -> Future.succeededFuture()));

        long succeeded = requests.stream().filter(Future::succeeded).count();
        List<Integer> codes = requests.stream().filter(Future::failed)
                .map(f -> ((ReplyException) f.cause()).failureCode()).toList();
        assertThat(succeeded).isBetween(1L, 19L);
        assertThat(codes).isNotEmpty().allMatch(code -> code == Failure.UNAVAILABLE.status());
    }

    @Test
    void reloadsANewModelAndKeepsTheOldOneWhenTheNewFileIsBroken(Vertx vertx) throws Exception {
        await(deploy(vertx, ClassifierTesting.config(
                ClassifierTesting.write(dir, "v1.npz", ClassifierTesting.randomModel("1")))));
        JsonObject classify = new JsonObject().put(ClassifierApi.IMAGE, ClassifierTesting.noisePng(64, 3));
        assertThat(versionOf(request(vertx, ClassifierApi.CLASSIFY, classify))).isEqualTo("1");

        Path v2 = ClassifierTesting.write(dir, "v2.npz", ClassifierTesting.randomModel("2"));
        JsonObject reloaded = request(vertx, ClassifierApi.RELOAD, new JsonObject().put(ClassifierApi.PATH, v2.toString()));
        assertThat(reloaded.getString(ClassifierApi.VERSION)).isEqualTo("2");
        assertThat(versionOf(request(vertx, ClassifierApi.CLASSIFY, classify))).isEqualTo("2");

        Path broken = dir.resolve("broken.npz");
        Files.write(broken, Arrays.copyOf(Files.readAllBytes(v2), 500));
        ReplyException refused = failure(vertx, ClassifierApi.RELOAD,
                new JsonObject().put(ClassifierApi.PATH, broken.toString()));
        assertThat(refused.failureCode()).isEqualTo(422);
        assertThat(refused.getMessage()).contains(broken.toString());
        assertThat(versionOf(request(vertx, ClassifierApi.CLASSIFY, classify))).isEqualTo("2");
        assertThat(request(vertx, ClassifierApi.MODEL, new JsonObject()).getString("version")).isEqualTo("2");
    }

    @Test
    void refusesAFifoADirectoryAndAMissingFileAlikeWithoutBlockingAndStillReloads(Vertx vertx) throws Exception {
        await(deploy(vertx, ClassifierTesting.config(
                ClassifierTesting.write(dir, "v1.npz", ClassifierTesting.randomModel("1")))));
        Path fifo = dir.resolve("fifo.npz");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        List<String> messages = new ArrayList<>();
        // Twenty FIFOs once took every shared worker for ever; each is now refused before it is opened.
        for (int i = 0; i < 20; i++) {
            for (Path path : List.of(fifo, dir, dir.resolve("missing.npz"))) {
                ReplyException refused = failure(vertx, ClassifierApi.RELOAD,
                        new JsonObject().put(ClassifierApi.PATH, path.toString()));
                assertThat(refused.failureCode()).isEqualTo(422);
                messages.add(refused.getMessage().replace(path.toString(), "PATH"));
            }
        }

        assertThat(messages).as("the same answer whatever is there").containsOnly(
                "no model could be loaded from PATH; the server log says why");
        Path v2 = ClassifierTesting.write(dir, "v2.npz", ClassifierTesting.randomModel("2"));
        assertThat(request(vertx, ClassifierApi.RELOAD, new JsonObject().put(ClassifierApi.PATH, v2.toString()))
                .getString(ClassifierApi.VERSION)).isEqualTo("2");
    }

    @Test
    void reloadsTheWatchedModelFileWhenItChanges(Vertx vertx) throws Exception {
        Path model = ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("1"));
        await(deploy(vertx, ClassifierTesting.config(model).put("watchModel", true).put("watchIntervalMs", 50)));

        ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("2-watched"));

        long deadline = System.nanoTime() + 30_000_000_000L;
        String version = "1";
        while (!version.equals("2-watched") && System.nanoTime() < deadline) {
            version = request(vertx, ClassifierApi.MODEL, new JsonObject()).getString("version");
        }
        assertThat(version).isEqualTo("2-watched");
    }

    private static String versionOf(JsonObject reply) {
        return reply.getJsonObject(ClassifierApi.MODEL_INFO).getString(ClassifierApi.VERSION);
    }

    @Test
    void isNotReadyUntilWarmedUp(Vertx vertx) throws Exception {
        JsonObject config = ClassifierTesting.config(
                ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("1"))).put("warmupRuns", 1500);
        await(deploy(vertx, config));

        assertThat(request(vertx, ClassifierApi.READY, new JsonObject()).getBoolean(ClassifierApi.READY_FLAG))
                .as("ready right after deployment, while the warm-up is still running").isFalse();
        long deadline = System.nanoTime() + 60_000_000_000L;
        boolean ready = false;
        while (!ready && System.nanoTime() < deadline) {
            ready = request(vertx, ClassifierApi.READY, new JsonObject()).getBoolean(ClassifierApi.READY_FLAG);
        }
        assertThat(ready).isTrue();
    }

    @Test
    void explainsWithASaliencyOverlayAndTheInputPicture(Vertx vertx) throws Exception {
        Model model = ClassifierTesting.trainedModel();
        await(deploy(vertx, ClassifierTesting.config(ClassifierTesting.write(dir, "model.npz", model))));
        byte[] cat = ClassifierTesting.read(ClassifierTesting.catsTheModelGetsRight(model, 1).get(0));

        JsonObject reply = request(vertx, ClassifierApi.EXPLAIN, new JsonObject().put(ClassifierApi.IMAGE, cat));

        assertThat(reply.getString(ClassifierApi.LABEL)).isEqualTo(ClassifierApi.CAT);
        assertThat(reply.getDouble(ClassifierApi.PROBABILITY))
                .isCloseTo(model.network().predict(new ImagePreprocessor().toInputVector(cat)), within(1e-12));
        BufferedImage saliency = ImageIO.read(new ByteArrayInputStream(reply.getBinary(ClassifierApi.SALIENCY)));
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(reply.getBinary(ClassifierApi.PICTURE)));
        assertThat(saliency.getWidth()).isEqualTo(256);
        assertThat(saliency.getHeight()).isEqualTo(256);
        assertThat(picture.getWidth()).isEqualTo(64);
        assertThat(picture.getHeight()).isEqualTo(64);
    }

    @Test
    void infersABatchOfPixelTensorsLikeSeparateClassifications(Vertx vertx) throws Exception {
        Model model = ClassifierTesting.trainedModel();
        await(deploy(vertx, ClassifierTesting.config(ClassifierTesting.write(dir, "model.npz", model))));
        ImagePreprocessor preprocessor = new ImagePreprocessor();
        List<byte[]> pictures = new ArrayList<>();
        Buffer pixels = Buffer.buffer();
        for (String name : List.of("images/test/cat/test-001.png", "images/test/cat/test-002.png",
                "images/test/non-cat/" + firstNonCat())) {
            byte[] bytes = ClassifierTesting.read(ReferenceData.dir().resolve(name));
            pictures.add(bytes);
            pixels.appendBytes(preprocessor.toRgb64(bytes));
        }

        JsonObject reply = request(vertx, ClassifierApi.INFER, new JsonObject().put(ClassifierApi.PIXELS,
                pixels.getBytes()).put(ClassifierApi.COUNT, 3).put(ClassifierApi.DATATYPE, "UINT8"));

        JsonArray probabilities = reply.getJsonArray(ClassifierApi.PROBABILITIES);
        JsonArray labels = reply.getJsonArray(ClassifierApi.LABELS);
        assertThat(probabilities).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonObject single = request(vertx, ClassifierApi.CLASSIFY,
                    new JsonObject().put(ClassifierApi.IMAGE, pictures.get(i)));
            assertThat(probabilities.getDouble(i)).isCloseTo(single.getDouble(ClassifierApi.PROBABILITY), within(1e-12));
            assertThat(labels.getString(i)).isEqualTo(single.getString(ClassifierApi.LABEL));
        }

        JsonObject encoded = request(vertx, ClassifierApi.INFER, new JsonObject().put(ClassifierApi.IMAGES,
                new JsonArray(new ArrayList<>(pictures))));
        assertThat(encoded.getJsonArray(ClassifierApi.PROBABILITIES).getDouble(2))
                .isCloseTo(probabilities.getDouble(2), within(1e-12));

        ReplyException wrongLength = failure(vertx, ClassifierApi.INFER, new JsonObject().put(ClassifierApi.PIXELS,
                Arrays.copyOf(pixels.getBytes(), pixels.length() - 1)).put(ClassifierApi.COUNT, 3)
                .put(ClassifierApi.DATATYPE, "UINT8"));
        assertThat(wrongLength.failureCode()).isEqualTo(400);
        assertThat(wrongLength).hasMessageContaining("36863 bytes");
        ReplyException tooMany = failure(vertx, ClassifierApi.INFER, new JsonObject().put(ClassifierApi.PIXELS,
                new byte[0]).put(ClassifierApi.COUNT, 65).put(ClassifierApi.DATATYPE, "UINT8"));
        assertThat(tooMany.failureCode()).isEqualTo(413);
    }

    private static String firstNonCat() throws Exception {
        try (var files = Files.list(ReferenceData.dir().resolve("images/test/non-cat"))) {
            return files.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void describesTheModel(Vertx vertx) throws Exception {
        await(deploy(vertx, ClassifierTesting.config(
                ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("7")))));
        JsonObject reply = request(vertx, ClassifierApi.MODEL, new JsonObject());
        assertThat(reply.getJsonArray("layers")).containsExactly(12288, 16, 1);
        assertThat(reply.getJsonObject(ClassifierApi.MODEL_INFO))
                .isEqualTo(new JsonObject().put("name", "random-test").put("version", "7"));
    }
}
