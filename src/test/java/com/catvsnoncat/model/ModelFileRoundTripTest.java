package com.catvsnoncat.model;

import static com.catvsnoncat.model.TestModels.assertSameParameters;
import static com.catvsnoncat.model.TestModels.model;
import static com.catvsnoncat.model.TestModels.randomNetwork;
import static com.catvsnoncat.model.TestModels.randomStandardizer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.nn.Network;
import com.catvsnoncat.nn.Standardizer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileRoundTripTest {

    @TempDir
    Path dir;

    private static Model trainedModel(Network network, Standardizer standardizer) {
        ModelMetadata metadata = model(network, standardizer).metadata()
                .withTraining(new JsonObject().put("learningRate", 0.0075).put("iterations", 2500).put("seed", 1)
                        .put("optimiser", "gradient-descent"))
                .withCosts(List.of(new ModelMetadata.Cost(0, 0.693), new ModelMetadata.Cost(100, 0.52)))
                .withAccuracy("train", 0.985)
                .withAccuracy("test", 0.8)
                .withCreatedAt(Instant.parse("2024-05-01T12:00:00Z"));
        return new Model(network, standardizer, metadata);
    }

    @Test
    void referenceSizedModelWithoutStandardizerReadsBackBitIdentical() {
        Model model = trainedModel(randomNetwork(1, 12288, 7, 1), null);
        Path file = dir.resolve("model.npz");

        ModelFile.write(file, model);
        Model read = ModelFile.read(file);

        assertSameParameters(read, model);
        assertThat(read.metadata().withContentHash("sha256:" + "0".repeat(64)))
                .isEqualTo(model.metadata().withContentHash("sha256:" + "0".repeat(64)));
        assertThat(read.metadata().contentHash()).contains(ContentHash.of(model.network(), null));
    }

    @Test
    void deepModelWithStandardizerReadsBackBitIdenticalWithItsMetadata() {
        Network network = randomNetwork(2, 5, 4, 3, 1);
        Model model = trainedModel(network, randomStandardizer(3, 5));
        Path file = dir.resolve("deep.npz");

        ModelFile.write(file, model);
        Model read = ModelFile.read(file);

        assertSameParameters(read, model);
        ModelMetadata metadata = read.metadata();
        assertThat(metadata.name()).isEqualTo("cat-test");
        assertThat(metadata.version()).isEqualTo("1.2.3");
        assertThat(metadata.layers()).containsExactly(5, 4, 3, 1);
        assertThat(metadata.standardized()).isTrue();
        assertThat(metadata.training().getDouble("learningRate")).isEqualTo(0.0075);
        assertThat(metadata.costs()).containsExactly(new ModelMetadata.Cost(0, 0.693), new ModelMetadata.Cost(100, 0.52));
        assertThat(metadata.accuracy("train")).hasValue(0.985);
        assertThat(metadata.accuracy("validation")).isEmpty();
        assertThat(metadata.createdAt()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(metadata.toJson().copy().put("contentHash", "x"))
                .isEqualTo(model.metadata().toJson().put("contentHash", "x"));
    }

    @Test
    void sameModelGivesIdenticalBytesEveryTime() throws IOException {
        Model model = trainedModel(randomNetwork(4, 5, 4, 3, 1), randomStandardizer(5, 5));
        ModelFile.write(dir.resolve("a.npz"), model);
        ModelFile.write(dir.resolve("b.npz"), model);

        assertThat(Files.mismatch(dir.resolve("a.npz"), dir.resolve("b.npz"))).isEqualTo(-1L);
        assertThat(ModelFile.toBytes(model)).isEqualTo(Files.readAllBytes(dir.resolve("a.npz")));
        // A model rebuilt from its own file writes the same bytes again.
        assertThat(ModelFile.toBytes(ModelFile.read(dir.resolve("a.npz"))))
                .isEqualTo(Files.readAllBytes(dir.resolve("a.npz")));
    }

    @Test
    void theWriteWarmUpWritesNoFileAndChangesNoModelsBytes() throws IOException {
        Model model = trainedModel(randomNetwork(4, 5, 4, 3, 1), randomStandardizer(5, 5));
        byte[] before = ModelFile.toBytes(model);
        Path workingDirectory = Path.of("").toAbsolutePath();
        List<Path> filesBefore;
        try (Stream<Path> files = Files.list(workingDirectory)) {
            filesBefore = files.sorted().toList();
        }

        ModelFile.warmUp();

        assertThat(ModelFile.toBytes(model)).isEqualTo(before);
        try (Stream<Path> files = Files.list(workingDirectory)) {
            assertThat(files.sorted().toList()).isEqualTo(filesBefore);
        }
    }

    @Test
    void fileHasTheDocumentedEntriesInOrder() {
        byte[] file = ModelFile.toBytes(model(randomNetwork(6, 5, 4, 3, 1), randomStandardizer(7, 5)));

        assertThat(TestModels.unzip(file).keySet()).containsExactly("metadata.json",
                "W1.npy", "b1.npy", "W2.npy", "b2.npy", "W3.npy", "b3.npy", "input_mean.npy", "input_std.npy");
    }

    @Test
    void contentHashIsSha256OfTheParametersInDocumentedOrder() throws Exception {
        Network network = randomNetwork(8, 3, 2, 1);
        Standardizer standardizer = randomStandardizer(9, 3);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (int l = 1; l <= network.depth(); l++) {
            sha256.update(TestModels.littleEndianDoubles(NpyArray.of(network.weight(l)).data()));
            sha256.update(TestModels.littleEndianDoubles(NpyArray.of(network.bias(l)).data()));
        }
        sha256.update(TestModels.littleEndianDoubles(standardizer.mean()));
        sha256.update(TestModels.littleEndianDoubles(standardizer.scale()));

        assertThat(ContentHash.of(network, standardizer)).isEqualTo("sha256:" + HexFormat.of().formatHex(sha256.digest()));
    }

    @Test
    void overwritesAtomicallyWithoutLeavingTemporaryFiles() throws IOException {
        Path file = dir.resolve("model.npz");
        ModelFile.write(file, model(randomNetwork(10, 5, 4, 1), null));
        Model second = model(randomNetwork(11, 3, 1), null);

        ModelFile.write(file, second);

        assertSameParameters(ModelFile.read(file), second);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void readsFromAStreamWithoutClosingIt() {
        Model model = model(randomNetwork(12, 5, 4, 1), randomStandardizer(13, 5));
        boolean[] closed = {false};
        ByteArrayInputStream in = new ByteArrayInputStream(ModelFile.toBytes(model)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        assertSameParameters(ModelFile.read(in), model);
        assertThat(closed[0]).isFalse();
    }

    @Test
    void missingFileOrResourceIsReportedByName() {
        assertThatThrownBy(() -> ModelFile.read(dir.resolve("absent.npz")))
                .isInstanceOf(ModelFileException.class).hasMessageEndingWith("absent.npz: no such file");
        assertThatThrownBy(() -> ModelFile.readResource("models/absent.npz"))
                .isInstanceOf(ModelFileException.class).hasMessage("classpath:models/absent.npz: no such resource");
    }

    @Test
    void modelRejectsMetadataThatDoesNotDescribeItsNetwork() {
        Network network = randomNetwork(14, 5, 4, 1);

        assertThatThrownBy(() -> new Model(network, null, ModelMetadata.create("m", "1", new int[] {5, 3, 1}, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[5, 3, 1]").hasMessageContaining("[5, 4, 1]");
        assertThatThrownBy(() -> new Model(network, null, ModelMetadata.create("m", "1", new int[] {5, 4, 1}, true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no standardizer");
    }
}
