package com.catvsnoncat.classifier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per model version statistics in the shape of Triton's statistics extension: how many pictures were inferred
 * ({@code inference_count}) in how many network runs ({@code execution_count}), and count plus total nanoseconds of
 * successful and failed requests, of waiting for a worker ({@code queue}), of decoding ({@code compute_input}), of the
 * network ({@code compute_infer}) and of building the reply ({@code compute_output}). The same figures are
 * Prometheus metrics, {@code catvsnoncat_model_inferences_total}, {@code catvsnoncat_model_executions_total} and
 * {@code catvsnoncat_model_duration_seconds{phase}} (count and sum), labelled {@code model} and {@code version}:
 * a version's series exist only while it is loaded, so the label values are the loaded versions.
 */
final class ModelStatistics {
    static final String INFERENCES = "catvsnoncat.model.inferences";
    static final String EXECUTIONS = "catvsnoncat.model.executions";
    static final String DURATION = "catvsnoncat.model.duration";

    /** Triton's names, in its order. */
    enum Phase {
        SUCCESS, FAIL, QUEUE, COMPUTE_INPUT, COMPUTE_INFER, COMPUTE_OUTPUT;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private record Key(String name, String version) {
    }

    /** One version's figures. */
    private static final class Figures {
        final LongAdder inferences = new LongAdder();
        final LongAdder executions = new LongAdder();
        final LongAdder[] counts = adders();
        final LongAdder[] nanos = adders();
        final AtomicLong lastInferenceMillis = new AtomicLong();
        final List<Meter> meters = new ArrayList<>();

        private static LongAdder[] adders() {
            LongAdder[] adders = new LongAdder[Phase.values().length];
            for (int i = 0; i < adders.length; i++) {
                adders[i] = new LongAdder();
            }
            return adders;
        }
    }

    private final MeterRegistry registry;
    private final Map<Key, Figures> versions = new ConcurrentHashMap<>();

    /** @param registry where the metrics go, or null when metrics are off */
    ModelStatistics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Starts counting for a version that now serves (again after a reload: its figures go on). */
    void track(String name, String version) {
        versions.computeIfAbsent(new Key(name, version), key -> register(key, new Figures()));
    }

    /** Forgets a version no longer served, and its metric series. */
    void forget(String name, String version) {
        Figures figures = versions.remove(new Key(name, version));
        if (figures != null && registry != null) {
            figures.meters.forEach(registry::remove);
        }
    }

    /**
     * One request's {@code pictures} inferred, with the time each phase took for it; {@code newPass} when the network
     * ran for it, false when it shared a pass another request of the same dynamic batch already counted, so that
     * {@code execution_count} counts network passes, as Triton's does.
     */
    void execution(String name, String version, int pictures, boolean newPass, long queueNanos, long inputNanos,
                   long inferNanos, long outputNanos) {
        Figures figures = versions.get(new Key(name, version));
        if (figures == null) {
            return; // unloaded while this request ran
        }
        figures.inferences.add(pictures);
        if (newPass) {
            figures.executions.increment();
        }
        figures.lastInferenceMillis.set(System.currentTimeMillis());
        add(figures, Phase.QUEUE, queueNanos);
        add(figures, Phase.COMPUTE_INPUT, inputNanos);
        add(figures, Phase.COMPUTE_INFER, inferNanos);
        add(figures, Phase.COMPUTE_OUTPUT, outputNanos);
    }

    /** A whole request, from its arrival to its answer. */
    void request(String name, String version, boolean succeeded, long nanos) {
        Figures figures = versions.get(new Key(name, version));
        if (figures != null) {
            add(figures, succeeded ? Phase.SUCCESS : Phase.FAIL, nanos);
        }
    }

    /** Triton's {@code model_stats} entry of one version, or null when it is not tracked. */
    JsonObject toJson(String name, String version) {
        Figures figures = versions.get(new Key(name, version));
        if (figures == null) {
            return null;
        }
        JsonObject phases = new JsonObject();
        for (Phase phase : Phase.values()) {
            phases.put(phase.label(), new JsonObject()
                    .put(ClassifierApi.DURATION_COUNT, figures.counts[phase.ordinal()].sum())
                    .put(ClassifierApi.DURATION_NS, figures.nanos[phase.ordinal()].sum()));
        }
        return new JsonObject().put(ClassifierApi.NAME, name).put(ClassifierApi.VERSION, version)
                .put(ClassifierApi.LAST_INFERENCE, figures.lastInferenceMillis.get())
                .put(ClassifierApi.INFERENCE_COUNT, figures.inferences.sum())
                .put(ClassifierApi.EXECUTION_COUNT, figures.executions.sum())
                .put(ClassifierApi.INFERENCE_STATS, phases);
    }

    private static void add(Figures figures, Phase phase, long nanos) {
        figures.counts[phase.ordinal()].increment();
        figures.nanos[phase.ordinal()].add(nanos);
    }

    private Figures register(Key key, Figures figures) {
        if (registry == null) {
            return figures;
        }
        figures.meters.add(FunctionCounter.builder(INFERENCES, figures.inferences, LongAdder::sum)
                .description("Pictures inferred, by model version").tag("model", key.name())
                .tag("version", key.version()).register(registry));
        figures.meters.add(FunctionCounter.builder(EXECUTIONS, figures.executions, LongAdder::sum)
                .description("Network runs (a batch is one), by model version").tag("model", key.name())
                .tag("version", key.version()).register(registry));
        for (Phase phase : Phase.values()) {
            int index = phase.ordinal();
            figures.meters.add(FunctionTimer.builder(DURATION, figures, f -> f.counts[index].sum(),
                            f -> f.nanos[index].sum(), TimeUnit.NANOSECONDS)
                    .description("Requests (success, fail) and their phases, by model version")
                    .tag("model", key.name()).tag("version", key.version()).tag("phase", phase.label())
                    .register(registry));
        }
        return figures;
    }
}
