package com.catvsnoncat.bench;

import com.catvsnoncat.data.InputVectors;
import com.catvsnoncat.model.BackboneFile;
import com.catvsnoncat.nn.FeatureExtractor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The extractor's CPU time for one random picture on one thread, at each input size given: the counterpart of
 * tools/backbone/ort_cpu_time.py, for a side-by-side that the other work on a shared machine does not skew as it
 * skews wall-clock times (make bench-features-cpu). Warm-up of 3 s of this thread's CPU time (CPU, not wall clock:
 * on a machine shared at load 10-20, 3 s of wall clock left the JIT unfinished), then the median of 3 rounds of at
 * least 2 s, each round's thread CPU time over its calls.
 */
public final class FeatureCpuTime {
    private FeatureCpuTime() {
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        BackboneFile.Loaded backbone = BackboneFile.bundled(BackboneFile.MOBILENETV2);
        double[] picture = new double[InputVectors.SIZE];
        Random random = new Random(0);
        for (int i = 0; i < picture.length; i++) {
            picture[i] = random.nextDouble();
        }
        for (String size : args) {
            FeatureExtractor extractor = new FeatureExtractor(backbone.name(), backbone.network(), backbone.sha256(),
                    Integer.parseInt(size));
            long warmUpEnd = threads.getCurrentThreadCpuTime() + 3_000_000_000L;
            while (threads.getCurrentThreadCpuTime() < warmUpEnd) {
                extractor.features(picture);
            }
            double[] rounds = new double[3];
            for (int round = 0; round < rounds.length; round++) {
                long calls = 0;
                long cpu = threads.getCurrentThreadCpuTime();
                long end = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < end) {
                    extractor.features(picture);
                    calls++;
                }
                rounds[round] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / calls;
            }
            double[] sorted = rounds.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "{\"size\": %s, \"cpu_ms_per_picture\": %.4f, \"rounds_cpu_ms\": [%.4f, %.4f, %.4f]}%n",
                    size, sorted[1], rounds[0], rounds[1], rounds[2]);
        }
    }
}
