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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The MobileNetV2 feature extractor on random pictures (the onnxruntime anchor times random pixels too), at the
 * input sizes a model can choose: one picture on one thread (latency), pictures one by one on two threads at once
 * and batches on two threads at once (the throughput of both cores). Run by {@code make bench-features}, beside
 * onnxruntime; the fork runs with the Vector API kernels, and without them when started with
 * {@code -jvmArgs -Xmx512m} (the make target does both).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xmx512m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FeatureBenchmark {
    private static final int BATCH = 4;

    @Param({"64", "96", "128"})
    public int inputSize;

    private FeatureExtractor extractor;
    private double[] picture;
    private double[][] batch;

    @Setup
    public void setUp() {
        BackboneFile.Loaded backbone = BackboneFile.bundled(BackboneFile.MOBILENETV2);
        extractor = new FeatureExtractor(backbone.name(), backbone.network(), backbone.sha256(), inputSize);
        Random random = new Random(0);
        picture = new double[InputVectors.SIZE];
        for (int i = 0; i < picture.length; i++) {
            picture[i] = random.nextDouble();
        }
        batch = new double[BATCH][InputVectors.SIZE];
        for (double[] other : batch) {
            for (int i = 0; i < other.length; i++) {
                other[i] = random.nextDouble();
            }
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

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    @Threads(2)
    public double[][] batchesOnTwoThreads() {
        return extractor.features(batch);
    }
}
