package com.catvsnoncat.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Two builds' extractors side by side in one JVM (make bench-features-ab): each build's classes (a jar or a class
 * folder) in a class loader of its own, each warmed up by 3 s of this thread's CPU time, then alternating slices of
 * 200 ms, each slice's thread CPU time over its calls. Separate runs of {@link FeatureCpuTime} at load 5-15 differ
 * by 30% from one run to the next; slices a fraction of a second apart share the machine's load, so the ratio of
 * neighbouring slices resolves a few percent. Prints, per input size, each build's median and the median of the
 * slice ratios.
 *
 * <p>usage: FeatureCpuAb BASE OURS SLICES SIZE... (the class path must not hold the builds' own classes)
 */
public final class FeatureCpuAb {
    private static final long SLICE_NANOS = 200_000_000L;

    private FeatureCpuAb() {
    }

    public static void main(String[] args) throws Throwable {
        String[] builds = {args[0], args[1]};
        int slices = Integer.parseInt(args[2]);
        double[] picture = new double[64 * 64 * 3];
        Random random = new Random(0);
        for (int i = 0; i < picture.length; i++) {
            picture[i] = random.nextDouble();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int s = 3; s < args.length; s++) {
            int size = Integer.parseInt(args[s]);
            MethodHandle[] features = new MethodHandle[builds.length];
            for (int b = 0; b < builds.length; b++) {
                features[b] = extractor(builds[b], size);
                long warmUpEnd = threads.getCurrentThreadCpuTime() + 3_000_000_000L;
                while (threads.getCurrentThreadCpuTime() < warmUpEnd) {
                    double[] unused = (double[]) features[b].invokeExact(picture);
                }
            }
            double[][] millis = new double[builds.length][slices];
            double[] ratios = new double[slices];
            for (int slice = 0; slice < slices; slice++) {
                for (int i = 0; i < builds.length; i++) {
                    int b = slice % 2 == 0 ? i : builds.length - 1 - i;
                    long calls = 0;
                    long cpu = threads.getCurrentThreadCpuTime();
                    long end = System.nanoTime() + SLICE_NANOS;
                    while (System.nanoTime() < end) {
                        double[] unused = (double[]) features[b].invokeExact(picture);
                        calls++;
                    }
                    millis[b][slice] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / calls;
                }
                ratios[slice] = millis[1][slice] / millis[0][slice];
            }
            for (int b = 0; b < builds.length; b++) {
                System.out.printf(Locale.ROOT, "%dx%d %s: %.4f ms a picture (median of %d slices)%n", size, size,
                        b == 0 ? "base" : "ours", median(millis[b]), slices, builds[b]);
            }
            Arrays.sort(ratios);
            System.out.printf(Locale.ROOT, "%dx%d ours/base: %.3f (median of slice ratios; quartiles %.3f-%.3f)%n",
                    size, size, median(ratios), ratios[slices / 4], ratios[3 * slices / 4]);
        }
    }

    /** {@code FeatureExtractor.features(double[])} of the build at {@code location}, loaded apart from the other. */
    private static MethodHandle extractor(String location, int size) throws ReflectiveOperationException,
            java.net.MalformedURLException {
        ClassLoader loader = new URLClassLoader(new URL[] {Path.of(location).toUri().toURL()},
                FeatureCpuAb.class.getClassLoader());
        Class<?> backboneFile = loader.loadClass("com.catvsnoncat.model.BackboneFile");
        Object backbone = backboneFile.getMethod("bundled", String.class)
                .invoke(null, backboneFile.getField("MOBILENETV2").get(null));
        Class<?> loaded = backbone.getClass();
        Class<?> network = loader.loadClass("com.catvsnoncat.nn.MobileNetV2");
        Class<?> extractorClass = loader.loadClass("com.catvsnoncat.nn.FeatureExtractor");
        if (extractorClass.getClassLoader() != loader) {
            throw new IllegalStateException("the class path holds the extractor's classes: " + location
                    + " would not be the build measured");
        }
        Object extractor = extractorClass.getConstructor(String.class, network, String.class, int.class)
                .newInstance(loaded.getMethod("name").invoke(backbone), loaded.getMethod("network").invoke(backbone),
                        loaded.getMethod("sha256").invoke(backbone), size);
        return MethodHandles.lookup()
                .findVirtual(extractorClass, "features", MethodType.methodType(double[].class, double[].class))
                .bindTo(extractor);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
