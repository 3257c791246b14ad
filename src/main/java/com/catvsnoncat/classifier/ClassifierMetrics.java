package com.catvsnoncat.classifier;

import com.catvsnoncat.model.Model;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The classifier's own metrics (Prometheus names in brackets): classifications by label
 * ({@code catvsnoncat_classifications_total{label}}), inference time ({@code catvsnoncat_inference_seconds}),
 * URL fetch time ({@code catvsnoncat_image_fetch_seconds}), picture URLs refused by the fetcher's rules, by reason
 * ({@code catvsnoncat_image_fetch_refusals_total{reason}}, see {@link FetchRefusal}), failures by status code
 * ({@code catvsnoncat_classifier_failures_total{code}}), the pictures in each network pass that dynamic batching
 * gathered ({@code catvsnoncat_batched_pass_pictures}) and the model serving
 * ({@code catvsnoncat_model_info{name,version} 1}). Does nothing when metrics are off (no registry).
 */
public final class ClassifierMetrics {
    static final String CLASSIFICATIONS = "catvsnoncat.classifications";
    static final String INFERENCE = "catvsnoncat.inference";
    static final String FETCH = "catvsnoncat.image.fetch";
    static final String FETCH_REFUSALS = "catvsnoncat.image.fetch.refusals";
    static final String FAILURES = "catvsnoncat.classifier.failures";
    static final String MODEL_INFO = "catvsnoncat.model.info";
    static final String BATCHED_PASS = "catvsnoncat.batched.pass.pictures";

    private final MeterRegistry registry;
    private Gauge modelInfo;
    // The meters recorded with every request, registered at their first use (as before: no series before) and then
    // kept, instead of being built and looked up in the registry again for each request.
    private final Map<String, Counter> classifications = new ConcurrentHashMap<>();
    private volatile Timer inference;
    private volatile Timer fetch;

    /** @param registry where to record, or null when metrics are off */
    public ClassifierMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void classified(String label) {
        if (registry != null) {
            classifications.computeIfAbsent(label, key -> Counter.builder(CLASSIFICATIONS)
                    .description("Pictures classified, by predicted label").tag("label", key).register(registry))
                    .increment();
        }
    }

    public void inference(long nanos) {
        if (registry != null) {
            Timer timer = inference;
            if (timer == null) {
                timer = Timer.builder(INFERENCE).description("Time to decode and run the network on one request")
                        .publishPercentileHistogram().register(registry);
                inference = timer;
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** One network pass that dynamic batching ran, of {@code pictures} pictures from one or more requests. */
    public void batchedPass(int pictures) {
        if (registry != null) {
            DistributionSummary.builder(BATCHED_PASS).description("Pictures in each network pass that dynamic "
                    + "batching gathered").register(registry).record(pictures);
        }
    }

    public void fetch(long nanos) {
        if (registry != null) {
            Timer timer = fetch;
            if (timer == null) {
                timer = Timer.builder(FETCH).description("Time to download a picture given by URL")
                        .publishPercentileHistogram().register(registry);
                fetch = timer;
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public void fetchRefused(String reason) {
        if (registry != null) {
            Counter.builder(FETCH_REFUSALS).description("Picture URLs refused or cut off by the fetcher's rules, by "
                    + "reason").tag("reason", reason).register(registry).increment();
        }
    }

    public void failure(int code) {
        if (registry != null) {
            Counter.builder(FAILURES).description("Classifier requests that failed, by status code")
                    .tag("code", Integer.toString(code)).register(registry).increment();
        }
    }

    /** Points the info metric at the model now serving (the previous one disappears). */
    public synchronized void serving(Model model) {
        if (registry == null) {
            return;
        }
        if (modelInfo != null) {
            registry.remove(modelInfo);
        }
        modelInfo = Gauge.builder(MODEL_INFO, () -> 1).description("The model serving; the value is always 1")
                .tag("name", model.metadata().name()).tag("version", model.metadata().version())
                .register(registry);
    }
}
