package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClassifierMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics(registry);

    @Test
    void countsClassificationsByLabelAndFailuresByCode() {
        metrics.classified(ClassifierApi.CAT);
        metrics.classified(ClassifierApi.CAT);
        metrics.classified(ClassifierApi.NON_CAT);
        metrics.failure(503);

        assertThat(registry.get(ClassifierMetrics.CLASSIFICATIONS).tag("label", "cat").counter().count()).isEqualTo(2);
        assertThat(registry.get(ClassifierMetrics.CLASSIFICATIONS).tag("label", "non-cat").counter().count()).isEqualTo(1);
        assertThat(registry.get(ClassifierMetrics.FAILURES).tag("code", "503").counter().count()).isEqualTo(1);
    }

    @Test
    void timesEachInferenceAndDownloadFromTheFirstOn() {
        assertThat(registry.find(ClassifierMetrics.INFERENCE).timer()).as("no series before the first").isNull();
        assertThat(registry.find(ClassifierMetrics.FETCH).timer()).isNull();

        metrics.inference(2_000_000);
        metrics.inference(4_000_000);
        metrics.fetch(1_000_000);

        assertThat(registry.get(ClassifierMetrics.INFERENCE).timer().count()).isEqualTo(2);
        assertThat(registry.get(ClassifierMetrics.INFERENCE).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6);
        assertThat(registry.get(ClassifierMetrics.FETCH).timer().count()).isEqualTo(1);
        assertThat(registry.get(ClassifierMetrics.FETCH).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1);
    }

    @Test
    void theModelInfoNamesOnlyTheModelServingNow() {
        metrics.serving(ClassifierTesting.randomModel("1"));
        metrics.serving(ClassifierTesting.randomModel("2"));

        assertThat(registry.find(ClassifierMetrics.MODEL_INFO).gauges()).singleElement()
                .satisfies(gauge -> {
                    assertThat(gauge.getId().getTag("version")).isEqualTo("2");
                    assertThat(gauge.getId().getTag("name")).isEqualTo("random-test");
                    assertThat(gauge.value()).isEqualTo(1.0);
                });
    }

    @Test
    void recordsNothingAndDoesNotFailWhenMetricsAreOff() {
        ClassifierMetrics off = new ClassifierMetrics(null);
        assertThatCode(() -> {
            off.classified(ClassifierApi.CAT);
            off.inference(1000);
            off.fetch(1000);
            off.failure(400);
            off.serving(ClassifierTesting.randomModel("1"));
        }).doesNotThrowAnyException();
    }
}
