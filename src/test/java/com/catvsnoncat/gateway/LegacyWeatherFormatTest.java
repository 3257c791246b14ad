package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class LegacyWeatherFormatTest {
    @Test
    void answersWithTheOriginalFieldNamesThatItsPageReads() {
        JsonObject reply = new JsonObject("""
                {"cities": [
                   {"name": "Seattle", "temperature": 9.5, "humidity": 85, "condition": "Slight rain",
                    "icon": "rain", "iconCode": "10n", "stale": true},
                   {"name": "Miami", "error": "timed out"},
                   {"name": "Austin", "temperature": 25.0, "humidity": 50, "condition": "Partly cloudy",
                    "icon": "partly-cloudy", "iconCode": "03d", "stale": false}],
                 "elapsedMs": 1234, "concurrency": 5, "provider": "open-meteo"}""");

        JsonObject legacy = LegacyWeatherFormat.from(reply);

        assertThat(legacy).isEqualTo(new JsonObject("""
                {"weather_list": [
                   {"name": "Austin", "main": {"temp": 25.0, "humidity": 50},
                    "weather": [{"main": "Clouds", "description": "Partly cloudy", "icon": "03d"}]},
                   {"name": "Seattle", "main": {"temp": 9.5, "humidity": 85},
                    "weather": [{"main": "Rain", "description": "Slight rain", "icon": "10n"}]}],
                 "elapsed": 1.234}"""));
    }

    @Test
    void leavesAnEmptyListWhenEveryCityFailed() {
        JsonObject reply = new JsonObject("""
                {"cities": [{"name": "Austin", "error": "timed out"}], "elapsedMs": 3000}""");

        assertThat(LegacyWeatherFormat.from(reply).getJsonArray("weather_list")).isEmpty();
    }
}
