package com.catvsnoncat.classifier;

import com.catvsnoncat.testing.RandomModels;
import com.catvsnoncat.ReferenceData;
import com.catvsnoncat.data.Hdf5Datasets;
import com.catvsnoncat.data.ImagePreprocessor;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import com.catvsnoncat.nn.Trainer;
import com.catvsnoncat.nn.TrainingListener;
import com.catvsnoncat.nn.TrainingOptions;
import com.catvsnoncat.nn.TrainingResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Models, pictures and configurations for the classifier's tests. */
final class ClassifierTesting {
    private static Model trained;

    private ClassifierTesting() {
    }

    /** The reference network trained on the reference data (Gram solver, about a second), once per JVM. */
    static synchronized Model trainedModel() {
        if (trained == null) {
            TrainingResult result = Trainer.train(
                    Hdf5Datasets.read(ReferenceData.dir().resolve("train_catvnoncat.h5")),
                    TrainingOptions.reference(), TrainingListener.NONE);
            trained = Model.of("catvnoncat-test", "1", result.network(), null);
        }
        return trained;
    }

    /** A random 12288-16-1 network: answers are meaningless but real-sized and quick. */
    static Model randomModel(String version) {
        return RandomModels.pixelModel("random-test", version, new Random(version.hashCode()), 0.05);
    }

    static Path write(Path dir, String fileName, Model model) {
        Path path = dir.resolve(fileName);
        ModelFile.write(path, model);
        return path;
    }

    /** A test configuration: the model at {@code modelPath}, loopback allowed, a short warm-up. */
    static JsonObject config(Path modelPath) {
        return new JsonObject()
                .put("modelPath", modelPath.toString())
                .put("warmupRuns", 2)
                .put("fetch", new JsonObject().put("allowLoopback", true).put("allowedPorts", new JsonArray()));
    }

    /** Pictures of cats from the reference test set that {@code model} classifies as cats. */
    static List<Path> catsTheModelGetsRight(Model model, int count) {
        ImagePreprocessor preprocessor = new ImagePreprocessor();
        List<Path> right = new ArrayList<>();
        try (Stream<Path> files = Files.list(ReferenceData.dir().resolve("images/test/cat"))) {
            for (Path file : files.sorted().toList()) {
                if (model.network().predict(preprocessor.toInputVector(Files.readAllBytes(file))) > 0.5) {
                    right.add(file);
                    if (right.size() == count) {
                        return right;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the model gets fewer than " + count + " test cats right");
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A noisy picture, slow enough to decode that concurrent requests overlap. */
    static byte[] noisePng(int side, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return encode(image, "png");
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The address of a literal (no DNS). */
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
