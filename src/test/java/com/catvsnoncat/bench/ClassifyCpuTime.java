package com.catvsnoncat.bench;

import com.catvsnoncat.data.ImageDecoder;
import com.catvsnoncat.data.ImagePreprocessor;
import com.catvsnoncat.data.ImageResizer;
import com.catvsnoncat.data.InputVectors;
import com.catvsnoncat.model.DefaultModel;
import com.catvsnoncat.model.Model;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The server's work for one classification of bench-serve's 640x640 JPEG, stage by stage, in CPU time on one
 * thread (make bench-classify-cpu): decode at reduced size, the area-average resize to 64x64, the input vector,
 * the default model (extractor and head), and all of it as the classifier runs it. Without HTTP, so it shows what
 * the picture itself costs; the median of 3 rounds of 0.5 s of CPU after 2 s of CPU of warm-up (CPU, not wall
 * clock: on a machine shared at load 10-20, 3 s of wall clock left the JIT unfinished), and the bytes each call
 * allocates (the thread's allocations over the rounds, which the machine's load does not change). Prints one JSON
 * line per stage, so runs on two builds can be put side by side.
 */
public final class ClassifyCpuTime {
    private static final long WARM_UP_CPU_NS = 2_000_000_000L;
    private static final long ROUND_CPU_NS = 500_000_000L;
    private static final int ROUNDS = 3;

    private ClassifyCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args.length > 0 ? args[0] : "../shared/datasets/catvnoncat");
        BufferedImage picture = ImageIO.read(BenchmarkFixtures.testPictures(dataset).get(0).toFile());
        byte[] jpeg = BenchmarkFixtures.upscaledJpeg(picture);
        ImageDecoder decoder = new ImageDecoder();
        ImagePreprocessor preprocessor = new ImagePreprocessor(decoder);
        Model model = DefaultModel.load();
        BufferedImage reduced = decoder.decode(jpeg, InputVectors.SIDE, InputVectors.SIDE);
        byte[] rgb = ImageResizer.resize(reduced, InputVectors.SIDE, InputVectors.SIDE);
        double[] input = InputVectors.fromRgbBytes(rgb);
        Map<String, Runnable> stages = new LinkedHashMap<>();
        stages.put("decode", () -> decoder.decode(jpeg, InputVectors.SIDE, InputVectors.SIDE));
        stages.put("resize", () -> ImageResizer.resize(reduced, InputVectors.SIDE, InputVectors.SIDE));
        stages.put("input vector", () -> InputVectors.fromRgbBytes(rgb));
        stages.put("model", () -> model.predict(input));
        stages.put("whole", () -> model.predict(preprocessor.toInputVector(jpeg)));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (Map.Entry<String, Runnable> stage : stages.entrySet()) {
            Runnable work = stage.getValue();
            long warmUpEnd = threads.getCurrentThreadCpuTime() + WARM_UP_CPU_NS;
            while (threads.getCurrentThreadCpuTime() < warmUpEnd) {
                work.run();
            }
            double[] rounds = new double[ROUNDS];
            long allocatedBefore = threads.getThreadAllocatedBytes(thread);
            long allCalls = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long calls = 0;
                long start = threads.getCurrentThreadCpuTime();
                long now = start;
                while (now - start < ROUND_CPU_NS) {
                    work.run();
                    calls++;
                    now = threads.getCurrentThreadCpuTime();
                }
                rounds[round] = (now - start) / 1e6 / calls;
                allCalls += calls;
            }
            double allocatedKb = (threads.getThreadAllocatedBytes(thread) - allocatedBefore) / 1024.0 / allCalls;
            double[] sorted = rounds.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "{\"stage\": \"%s\", \"cpu_ms\": %.4f, \"rounds_cpu_ms\": %s, "
                    + "\"allocated_kb\": %.1f, \"jpeg_bytes\": %d}%n", stage.getKey(), sorted[ROUNDS / 2],
                    Arrays.toString(rounds), allocatedKb, jpeg.length);
        }
        System.out.printf(Locale.ROOT, "{\"probability\": %s}%n", model.predict(preprocessor.toInputVector(jpeg)));
    }
}
