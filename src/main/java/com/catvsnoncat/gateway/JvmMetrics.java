package com.catvsnoncat.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.Shareable;
import java.util.List;

/**
 * The JVM's own meters (memory, collections, threads, classes, compilation, CPU, uptime: the binders vertx-micrometer
 * binds when its JVM metrics are on), bound at the first scrape of {@code /metrics} instead of when Vert.x is created.
 * Bound at start they cost about 0.25 s of a 2-core start's CPU before ready (the JMX beans, and the collection
 * listeners, which then handled each of the start's 120 or so collections). Their collection counts and pause times
 * start at the first scrape; every other one reads the JVM's own totals. Unbound when Vert.x closes.
 */
public final class JvmMetrics implements Shareable {
    private static final String MAP = "catvsnoncat.metrics";
    private static final String KEY = "jvm";

    private final MeterRegistry registry;
    private List<MeterBinder> binders;
    private Future<Void> bound;

    private JvmMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Makes the JVM's meters available to {@link #bound} for {@code vertx}'s registry. */
    public static void attach(Vertx vertx, MeterRegistry registry) {
        JvmMetrics metrics = new JvmMetrics(registry);
        vertx.sharedData().getLocalMap(MAP).put(KEY, metrics);
        ((VertxInternal) vertx).addCloseHook(completion -> {
            metrics.close();
            completion.succeed();
        });
    }

    /**
     * Completes once the JVM's meters are in the registry of {@code vertx}: binds them the first time (on a worker,
     * they read JMX beans), at once after that or when this Vert.x has no metrics.
     */
    static Future<Void> bound(Vertx vertx) {
        Object metrics = vertx.sharedData().getLocalMap(MAP).get(KEY);
        return metrics instanceof JvmMetrics jvm ? jvm.bindOnce(vertx) : Future.succeededFuture();
    }

    private synchronized Future<Void> bindOnce(Vertx vertx) {
        if (bound == null) {
            bound = vertx.executeBlocking(() -> {
                List<MeterBinder> all = List.of(new ClassLoaderMetrics(), new JvmCompilationMetrics(),
                        new JvmGcMetrics(), new JvmHeapPressureMetrics(), new JvmInfoMetrics(), new JvmMemoryMetrics(),
                        new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics());
                all.forEach(binder -> binder.bindTo(registry));
                synchronized (this) {
                    binders = all;
                }
                return null;
            }, false);
        }
        return bound;
    }

    /** The collection listeners stay registered with the JVM until closed. */
    private synchronized void close() {
        if (binders == null) {
            return;
        }
        for (MeterBinder binder : binders) {
            if (binder instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // Closing only removes listeners; nothing is left to do if one cannot be.
                }
            }
        }
        binders = null;
    }
}
