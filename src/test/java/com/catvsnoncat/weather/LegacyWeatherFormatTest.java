package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class LegacyWeatherFormatTest {
    @Test
    void answersWithTheOriginalFieldNamesThatItsPageReads() {
        JsonObject reply = new JsonObject("""
                {"cities": [
                   {"name": "Austin", "temperature": 25.0, "humidity": 50, "condition": "Partly cloudy",
                    "icon": "partly-cloudy", "stale": false},
                   {"name": "Miami", "error": "timed out"},
                   {"name": "Seattle", "temperature": 9.5, "humidity": 85, "condition": "Slight rain",
                    "icon": "rain", "stale": true}],
                 "elapsedMs": 1234, "concurrency": 5, "provider": "open-meteo"}""");

        JsonObject legacy = LegacyWeatherFormat.from(reply);

        assertThat(legacy).isEqualTo(new JsonObject("""
                {"weather_list": [
                   {"name": "Austin", "main": {"temp": 25.0, "humidity": 50},
                    "weather": [{"main": "Clouds", "description": "Partly cloudy", "icon": "02d"}]},
                   {"name": "Seattle", "main": {"temp": 9.5, "humidity": 85},
                    "weather": [{"main": "Rain", "description": "Slight rain", "icon": "10d"}]}],
                 "elapsed": 1.234}"""));
    }

    @Test
    void givesAnUnknownConditionANeutralOpenWeatherMapIcon() {
        JsonObject reply = new JsonObject("""
                {"cities": [{"name": "Austin", "temperature": 1.0, "humidity": 2, "condition": "Unknown",
                             "icon": "unknown", "stale": false}], "elapsedMs": 0}""");

        assertThat(LegacyWeatherFormat.from(reply).getJsonArray("weather_list").getJsonObject(0)
                .getJsonArray("weather").getJsonObject(0).getString("icon")).isEqualTo("03d");
    }
}
