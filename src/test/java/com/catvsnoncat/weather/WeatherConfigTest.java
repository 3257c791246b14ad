package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class WeatherConfigTest {
    @Test
    void defaultsAreTheOriginalFiveCitiesFromOpenMeteoWithinThreeSeconds() {
        WeatherConfig settings = WeatherConfig.from(new JsonObject());

        assertThat(settings.cities()).extracting(City::name)
                .containsExactly("Los Angeles", "Seattle", "Miami", "Austin", "Seongnam-si");
        assertThat(settings.provider()).isEqualTo("open-meteo");
        assertThat(settings.openMeteoUrl()).isEqualTo("https://api.open-meteo.com");
        assertThat(settings.concurrency()).isEqualTo(5);
        assertThat(settings.deadlineMs()).isEqualTo(3000);
        assertThat(settings.cacheTtlMs()).isEqualTo(300_000);
        assertThat(settings.breakerMaxFailures()).isEqualTo(5);
        assertThat(settings.breakerResetMs()).isEqualTo(30_000);
        assertThat(settings.apiKey()).isNull();
    }

    @Test
    void anApiKeySwitchesTheAutomaticChoiceToOpenWeatherMap() {
        JsonObject config = new JsonObject().put("openWeatherMap", new JsonObject().put("apiKey", "k"));

        assertThat(WeatherConfig.from(config).provider()).isEqualTo("openweathermap");
        assertThat(WeatherConfig.from(config.copy().put("provider", "open-meteo")).provider()).isEqualTo("open-meteo");
    }

    @Test
    void readsTheWeatherSectionOfTheWholeConfigurationToo() {
        JsonObject whole = new JsonObject().put("http", new JsonObject().put("port", 1))
                .put("weather", new JsonObject().put("concurrency", 2).put("breaker", new JsonObject().put("resetMs", 5)));

        WeatherConfig settings = WeatherConfig.from(whole);

        assertThat(settings.concurrency()).isEqualTo(2);
        assertThat(settings.breakerResetMs()).isEqualTo(5);
        assertThat(settings.breakerMaxFailures()).isEqualTo(5);
    }

    @Test
    void rejectsInvalidValuesWithTheKeyInTheMessage() {
        assertRejected(new JsonObject().put("deadlineMs", 0), "deadlineMs must be an integer >= 1");
        assertRejected(new JsonObject().put("cacheTtlMs", "5m"), "cacheTtlMs must be an integer >= 0");
        assertRejected(new JsonObject().put("provider", "weather.com"), "provider must be auto, open-meteo or openweathermap");
        assertRejected(new JsonObject().put("provider", "openweathermap"), "needs openWeatherMap.apiKey");
        assertRejected(new JsonObject().put("openMeteo", new JsonObject().put("baseUrl", "ftp://x")), "openMeteo.baseUrl must be an http(s) URL");
        assertRejected(new JsonObject().put("cities", new JsonArray()), "cities must be a non-empty array");
        JsonObject seattle = new JsonObject().put("name", "Seattle").put("latitude", 47.6).put("longitude", -122.3);
        assertRejected(new JsonObject().put("cities", new JsonArray().add(seattle).add(seattle)), "Seattle is listed twice");
        assertRejected(new JsonObject().put("cities", new JsonArray().add(seattle.copy().put("latitude", 91))),
                "coordinates of Seattle must be latitude in [-90, 90]");
        assertRejected(new JsonObject().put("cities", new JsonArray().add(new JsonObject().put("name", "Nowhere"))),
                "needs a numeric latitude");
    }

    private static void assertRejected(JsonObject config, String message) {
        assertThatThrownBy(() -> WeatherConfig.from(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weather config: ").hasMessageContaining(message);
    }
}
