package com.catvsnoncat.bench;

import com.catvsnoncat.nn.Network;
import com.catvsnoncat.nn.TestMatrices;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.BlockRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The network's hot spots at the reference shapes: the first layer's products (20x12288 by 12288x209, each
 * 51 M multiply-adds), Commons Math's own BlockRealMatrix product for comparison, and inference of one image and
 * of a batch of 32. Run by {@code make bench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KernelBenchmark {
    private RealMatrix weights;
    private RealMatrix inputs;
    private RealMatrix inputsTransposed;
    private RealMatrix outputGradient;
    private BlockRealMatrix blockWeights;
    private BlockRealMatrix blockInputs;
    private Network network;
    private double[][] batch;
    private double[] image;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        weights = random(20, 12288, random);
        inputs = random(12288, 209, random);
        inputsTransposed = TestMatrices.transpose(inputs);
        outputGradient = random(20, 209, random);
        blockWeights = new BlockRealMatrix(weights.getData());
        blockInputs = new BlockRealMatrix(inputs.getData());
        int[] layers = {12288, 20, 7, 5, 1};
        List<RealMatrix> w = new ArrayList<>();
        List<RealMatrix> b = new ArrayList<>();
        for (int l = 1; l < layers.length; l++) {
            w.add(random(layers[l], layers[l - 1], random).scalarMultiply(1 / Math.sqrt(layers[l - 1])));
            b.add(new Array2DRowRealMatrix(layers[l], 1));
        }
        network = new Network(w, b);
        batch = random(32, 12288, random).getData();
        image = batch[0];
    }

    private static RealMatrix random(int rows, int cols, Random random) {
        double[][] data = new double[rows][cols];
        for (double[] row : data) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextDouble();
            }
        }
        return new Array2DRowRealMatrix(data, false);
    }

    @Benchmark
    public RealMatrix firstLayerForward() {
        return TestMatrices.multiply(weights, inputs);
    }

    @Benchmark
    public RealMatrix firstLayerWeightGradient() {
        return TestMatrices.multiply(outputGradient, inputsTransposed);
    }

    @Benchmark
    public RealMatrix firstLayerForwardCommonsMathBlock() {
        return blockWeights.multiply(blockInputs);
    }

    @Benchmark
    public double[] predictBatchOf32() {
        return network.predict(batch);
    }

    @Benchmark
    public double predictOne() {
        return network.predict(image);
    }
}
