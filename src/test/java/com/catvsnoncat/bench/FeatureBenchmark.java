package com.catvsnoncat.bench;

import com.catvsnoncat.data.InputVectors;
import com.catvsnoncat.model.BackboneFile;
import com.catvsnoncat.nn.FeatureExtractor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The MobileNetV2 feature extractor on one random picture (the onnxruntime anchor times random pixels too), at the
 * input sizes a model can choose: one picture on one thread (latency), and pictures on two threads at once (the
 * throughput of both cores). Run by {@code make bench-features}, beside onnxruntime.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FeatureBenchmark {
    @Param({"64", "96", "128"})
    public int inputSize;

    private FeatureExtractor extractor;
    private double[] picture;

    @Setup
    public void setUp() {
        BackboneFile.Loaded backbone = BackboneFile.bundled(BackboneFile.MOBILENETV2);
        extractor = new FeatureExtractor(backbone.name(), backbone.network(), backbone.sha256(), inputSize);
        Random random = new Random(0);
        picture = new double[InputVectors.SIZE];
        for (int i = 0; i < picture.length; i++) {
            picture[i] = random.nextDouble();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public double[] onePictureOneThread() {
        return extractor.features(picture);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public double[] picturesOnTwoThreads() {
        return extractor.features(picture);
    }
}
