package com.catvsnoncat.model;

import static com.catvsnoncat.model.TestModels.randomNetwork;
import static com.catvsnoncat.model.TestModels.randomStandardizer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.nn.Network;
import com.catvsnoncat.nn.Standardizer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The model file against real numpy, in both directions. Skipped where python3 with numpy is not installed. */
class NumpyInteropTest {

    @TempDir
    Path dir;

    private static Boolean numpyAvailable;

    @BeforeEach
    void requireNumpy() {
        // Checked in each test rather than in @BeforeAll so that the reports list every test as skipped.
        if (numpyAvailable == null) {
            numpyAvailable = runs("python3", "-c", "import numpy");
        }
        Assumptions.assumeTrue(numpyAvailable, "python3 with numpy is not available: skipping the numpy interop tests");
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(OutputStream.nullOutputStream());
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void numpyLoadsAModelWrittenHereWithoutPickle() throws Exception {
        Network network = randomNetwork(1, 12288, 7, 1);
        Standardizer standardizer = randomStandardizer(2, 12288);
        Model model = new Model(network, standardizer, TestModels.model(network, standardizer).metadata()
                .withAccuracy("test", 0.72).withCreatedAt(Instant.parse("2024-05-01T12:00:00Z")));
        Path file = dir.resolve("model.npz");
        ModelFile.write(file, model);

        JsonObject out = new JsonObject(python("""
                import hashlib, json, sys
                import numpy as np
                z = np.load(sys.argv[1], allow_pickle=False)
                meta = json.loads(z['metadata.json'])
                order = [k for l in range(1, len(meta['layers'])) for k in ('W%d' % l, 'b%d' % l)]
                if meta['preprocessing']['standardized']:
                    order += ['input_mean', 'input_std']
                digest = hashlib.sha256(b''.join(z[k].astype('<f8').tobytes(order='C') for k in order)).hexdigest()
                print(json.dumps({
                    'files': sorted(z.files),
                    'shapes': {k: list(z[k].shape) for k in order},
                    'dtypes': sorted({str(z[k].dtype) for k in order}),
                    'cOrder': all(z[k].flags.c_contiguous for k in order),
                    'values': [repr(float(v)) for v in (z['W1'][0, 0], z['W1'][0, 1], z['W1'][0, 2], z['W1'][6, 12287],
                                                       z['b1'][3, 0], z['W2'][0, 6], z['input_mean'][100], z['input_std'][12287])],
                    'metadata': meta,
                    'hash': 'sha256:' + digest,
                }))
                """, file.toString()));

        assertThat(out.getJsonArray("files").getList()).containsExactly(
                "W1", "W2", "b1", "b2", "input_mean", "input_std", "metadata.json");
        assertThat(out.getJsonObject("shapes")).isEqualTo(new JsonObject()
                .put("W1", List.of(7, 12288)).put("b1", List.of(7, 1)).put("W2", List.of(1, 7)).put("b2", List.of(1, 1))
                .put("input_mean", List.of(12288)).put("input_std", List.of(12288)));
        assertThat(out.getJsonArray("dtypes").getList()).containsExactly("float64");
        assertThat(out.getBoolean("cOrder")).isTrue();
        assertThat(parseReprs(out.getJsonArray("values"))).containsExactly(
                -0.0, Double.MIN_VALUE, Double.MAX_VALUE, network.weight(1).getEntry(6, 12287),
                network.bias(1).getEntry(3, 0), network.weight(2).getEntry(0, 6),
                standardizer.mean()[100], standardizer.scale()[12287]);
        Model read = ModelFile.read(file);
        assertThat(out.getJsonObject("metadata")).isEqualTo(read.metadata().toJson());
        assertThat(out.getJsonObject("metadata").getJsonObject("accuracy").getDouble("test")).isEqualTo(0.72);
        assertThat(out.getString("hash")).isEqualTo(read.metadata().contentHash().orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"savez", "savez_compressed"})
    void readsAnNpzWrittenByNumpy(String save) throws Exception {
        Path file = dir.resolve("numpy.npz");
        JsonObject values = new JsonObject(python("""
                import hashlib, json, sys, zipfile
                import numpy as np
                rng = np.random.default_rng(7)
                arrays = {'W1': rng.standard_normal((4, 6)), 'b1': rng.standard_normal((4, 1)),
                          'W2': rng.standard_normal((1, 4)), 'b2': np.array([[0.25]])}
                getattr(np, sys.argv[2])(sys.argv[1], **arrays)
                meta = {'format': 'catvsnoncat-model', 'formatVersion': 1, 'name': 'from-numpy', 'version': '0.1',
                        'layers': [6, 4, 1],
                        'preprocessing': {'width': 64, 'height': 64, 'channels': 3, 'layout': 'HWC', 'scale': 1 / 255,
                                          'resize': 'area-average', 'standardized': False},
                        'createdAt': '2024-05-01T12:00:00Z',
                        'contentHash': 'sha256:' + hashlib.sha256(b''.join(arrays[k].tobytes() for k in ('W1', 'b1', 'W2', 'b2'))).hexdigest()}
                with zipfile.ZipFile(sys.argv[1], 'a') as z:
                    z.writestr('metadata.json', json.dumps(meta))
                print(json.dumps({k: [repr(float(v)) for v in a.ravel()] for k, a in arrays.items()}))
                """, file.toString(), save));

        Model model = ModelFile.read(file);

        assertThat(model.metadata().name()).isEqualTo("from-numpy");
        assertThat(model.network().layerSizes()).containsExactly(6, 4, 1);
        assertThat(model.standardizer()).isNull();
        for (int l = 1; l <= 2; l++) {
            assertThat(NpyArray.of(model.network().weight(l)).data()).as("W" + l)
                    .containsExactly(parseReprs(values.getJsonArray("W" + l)));
            assertThat(NpyArray.of(model.network().bias(l)).data()).as("b" + l)
                    .containsExactly(parseReprs(values.getJsonArray("b" + l)));
        }
    }

    @Test
    void npyBytesMatchNumpySaveExactly() throws Exception {
        python("""
                import sys
                import numpy as np
                d = sys.argv[1]
                np.save(d + '/matrix.npy', np.arange(20.0).reshape(5, 4) / 7)
                np.save(d + '/column.npy', np.array([[1.5], [-0.0], [2e-308]]))
                np.save(d + '/vector.npy', np.linspace(-1, 1, 7))
                np.save(d + '/wide.npy', np.ones((7, 12288)))
                np.save(d + '/tall.npy', np.ones((12288, 7)))
                with open(d + '/v2.npy', 'wb') as f:
                    np.lib.format.write_array(f, np.array([[0.5, -1.5]]), version=(2, 0))
                np.save(d + '/fortran.npy', np.asfortranarray(np.ones((3, 2))))
                np.save(d + '/int64.npy', np.arange(4, dtype='<i8'))
                np.save(d + '/object.npy', np.array([{'a': 1}], dtype=object), allow_pickle=True)
                """, dir.toString());

        for (String name : List.of("matrix", "column", "vector", "wide", "tall")) {
            byte[] numpy = Files.readAllBytes(dir.resolve(name + ".npy"));
            NpyArray array = Npy.read(new ByteArrayInputStream(numpy), Long.MAX_VALUE);
            assertThat(Npy.write(array)).as(name).isEqualTo(numpy);
        }
        assertThat(read("matrix").data()[19]).isEqualTo(19.0 / 7);
        assertThat(read("column").data()).containsExactly(1.5, -0.0, 2e-308);
        assertThat(read("v2").shape()).containsExactly(1, 2);
        assertThat(read("v2").data()).containsExactly(0.5, -1.5);
        assertThatThrownBy(() -> read("fortran")).hasMessageContaining("Fortran-order arrays are not supported");
        assertThatThrownBy(() -> read("int64")).hasMessageContaining("unsupported dtype '<i8'");
        assertThatThrownBy(() -> read("object")).hasMessageContaining("unsupported dtype '|O'");
    }

    private NpyArray read(String name) throws IOException {
        return Npy.read(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(name + ".npy"))), Long.MAX_VALUE);
    }

    /** Python's repr of a float is the shortest string that reads back to the same double. */
    private static double[] parseReprs(JsonArray reprs) {
        return reprs.stream().mapToDouble(r -> Double.parseDouble((String) r)).toArray();
    }

    /** Runs a python3 script with arguments and returns its standard output; fails with its stderr. */
    private static String python(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        assertThat(process.exitValue()).as("python3 exit code, stderr: %s", stderr.get()).isZero();
        return stdout;
    }
}
