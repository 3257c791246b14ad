package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WeatherCodesTest {
    @Test
    void mapsWmoCodesToAConditionTextAndAnIcon() {
        assertThat(WeatherCodes.wmo(0)).isEqualTo(new WeatherCodes.Condition("Clear sky", "clear", "01d"));
        assertThat(WeatherCodes.wmo(2)).isEqualTo(new WeatherCodes.Condition("Partly cloudy", "partly-cloudy", "03d"));
        assertThat(WeatherCodes.wmo(3).icon()).isEqualTo("cloudy");
        assertThat(WeatherCodes.wmo(45).icon()).isEqualTo("fog");
        assertThat(WeatherCodes.wmo(53).icon()).isEqualTo("drizzle");
        assertThat(WeatherCodes.wmo(81).icon()).isEqualTo("rain");
        assertThat(WeatherCodes.wmo(86).icon()).isEqualTo("snow");
        assertThat(WeatherCodes.wmo(99)).isEqualTo(new WeatherCodes.Condition("Thunderstorm with heavy hail", "thunderstorm", "11d"));
        assertThat(WeatherCodes.wmo(42)).isEqualTo(new WeatherCodes.Condition("Unknown", "unknown", "03d"));
    }

    @Test
    void mapsOpenWeatherMapConditionIdsToIcons() {
        assertThat(WeatherCodes.openWeatherMapIcon(211)).isEqualTo("thunderstorm");
        assertThat(WeatherCodes.openWeatherMapIcon(301)).isEqualTo("drizzle");
        assertThat(WeatherCodes.openWeatherMapIcon(502)).isEqualTo("rain");
        assertThat(WeatherCodes.openWeatherMapIcon(601)).isEqualTo("snow");
        assertThat(WeatherCodes.openWeatherMapIcon(741)).isEqualTo("fog");
        assertThat(WeatherCodes.openWeatherMapIcon(800)).isEqualTo("clear");
        assertThat(WeatherCodes.openWeatherMapIcon(801)).isEqualTo("partly-cloudy");
        assertThat(WeatherCodes.openWeatherMapIcon(804)).isEqualTo("cloudy");
        assertThat(WeatherCodes.openWeatherMapIcon(900)).isEqualTo("unknown");
    }

    @Test
    void givesEveryWmoCodeTheOpenWeatherMapIconCodeOfTheSameWeather() {
        assertThat(WeatherCodes.wmo(1).iconCode()).as("mainly clear: few clouds").isEqualTo("02d");
        assertThat(WeatherCodes.wmo(3).iconCode()).as("overcast: broken clouds").isEqualTo("04d");
        assertThat(WeatherCodes.wmo(48).iconCode()).as("fog: mist").isEqualTo("50d");
        assertThat(WeatherCodes.wmo(55).iconCode()).as("drizzle: shower rain").isEqualTo("09d");
        assertThat(WeatherCodes.wmo(63).iconCode()).as("rain").isEqualTo("10d");
        assertThat(WeatherCodes.wmo(67).iconCode()).as("freezing rain: snow").isEqualTo("13d");
        assertThat(WeatherCodes.wmo(75).iconCode()).as("snow").isEqualTo("13d");
        assertThat(WeatherCodes.wmo(82).iconCode()).as("rain showers: shower rain").isEqualTo("09d");
        assertThat(WeatherCodes.wmo(95).iconCode()).as("thunderstorm").isEqualTo("11d");
        assertThat(WeatherCodes.atTimeOfDay("10d", false)).isEqualTo("10n");
        IntStream.rangeClosed(-1, 1000).forEach(code ->
                assertThat(WeatherCodes.wmo(code).iconCode()).matches("(01|02|03|04|09|10|11|13|50)d"));
    }

    @Test
    void passesOpenWeatherMapIconCodesThroughAndReplacesMalformedOnes() {
        assertThat(WeatherCodes.openWeatherMapIconCode("10n")).isEqualTo("10n");
        assertThat(WeatherCodes.openWeatherMapIconCode("../../x")).isEqualTo("03d");
        assertThat(WeatherCodes.openWeatherMapIconCode(null)).isEqualTo("03d");
    }

    @Test
    void everyIconIsOneThePageDraws() {
        IntStream.rangeClosed(-1, 1000).forEach(code -> {
            assertThat(WeatherApi.ICONS).contains(WeatherCodes.wmo(code).icon());
            assertThat(WeatherApi.ICONS).contains(WeatherCodes.openWeatherMapIcon(code));
        });
    }
}
