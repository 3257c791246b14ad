package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The providers' JSON answers read into readings, and answers missing a field refused with a short text. */
class ProviderAnswersTest {
    @Test
    void readsAnOpenMeteoAnswer() {
        JsonObject answer = new JsonObject("""
                {"latitude": 47.6, "current_units": {"temperature_2m": "°C"},
                 "current": {"time": "2025-01-01T12:00", "interval": 900, "temperature_2m": 8.4,
                             "relative_humidity_2m": 91, "weather_code": 63, "is_day": 1}}""");

        assertThat(OpenMeteoProvider.parse(answer)).isEqualTo(new Reading(8.4, 91, "Moderate rain", "rain", "10d"));
    }

    @Test
    void givesOpenMeteoReadingsAtNightTheNightIcon() {
        JsonObject answer = new JsonObject("""
                {"current": {"temperature_2m": 3.0, "relative_humidity_2m": 70, "weather_code": 0, "is_day": 0}}""");

        assertThat(OpenMeteoProvider.parse(answer).iconCode()).isEqualTo("01n");
    }

    @Test
    void readsAnOpenWeatherMapAnswer() {
        JsonObject answer = new JsonObject("""
                {"weather": [{"id": 803, "main": "Clouds", "description": "broken clouds", "icon": "04d"}],
                 "main": {"temp": 21.37, "feels_like": 21.0, "humidity": 44}, "name": "Los Angeles"}""");

        assertThat(OpenWeatherMapProvider.parse(answer)).isEqualTo(new Reading(21.37, 44, "Broken clouds", "cloudy",
                "04d"));
    }

    @Test
    void refusesAnswersWithoutTheReadings() {
        assertThatThrownBy(() -> OpenMeteoProvider.parse(new JsonObject().put("error", true)))
                .isInstanceOf(UpstreamException.class).hasMessage("bad answer from upstream: no current");
        assertThatThrownBy(() -> OpenMeteoProvider.parse(new JsonObject("""
                {"current": {"temperature_2m": "warm", "relative_humidity_2m": 50, "weather_code": 0}}""")))
                .hasMessage("bad answer from upstream: no temperature_2m");
        assertThatThrownBy(() -> OpenWeatherMapProvider.parse(new JsonObject("{\"main\": {\"temp\": 1, \"humidity\": 2}, \"weather\": []}")))
                .hasMessage("bad answer from upstream: no weather");
    }
}
