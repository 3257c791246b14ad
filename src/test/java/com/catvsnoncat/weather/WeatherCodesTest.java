package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WeatherCodesTest {
    @Test
    void mapsWmoCodesToAConditionTextAndAnIcon() {
        assertThat(WeatherCodes.wmo(0)).isEqualTo(new WeatherCodes.Condition("Clear sky", "clear"));
        assertThat(WeatherCodes.wmo(2)).isEqualTo(new WeatherCodes.Condition("Partly cloudy", "partly-cloudy"));
        assertThat(WeatherCodes.wmo(3).icon()).isEqualTo("cloudy");
        assertThat(WeatherCodes.wmo(45).icon()).isEqualTo("fog");
        assertThat(WeatherCodes.wmo(53).icon()).isEqualTo("drizzle");
        assertThat(WeatherCodes.wmo(81).icon()).isEqualTo("rain");
        assertThat(WeatherCodes.wmo(86).icon()).isEqualTo("snow");
        assertThat(WeatherCodes.wmo(99)).isEqualTo(new WeatherCodes.Condition("Thunderstorm with heavy hail", "thunderstorm"));
        assertThat(WeatherCodes.wmo(42)).isEqualTo(new WeatherCodes.Condition("Unknown", "unknown"));
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
    void everyIconIsOneThePageDraws() {
        IntStream.rangeClosed(-1, 1000).forEach(code -> {
            assertThat(WeatherApi.ICONS).contains(WeatherCodes.wmo(code).icon());
            assertThat(WeatherApi.ICONS).contains(WeatherCodes.openWeatherMapIcon(code));
        });
    }
}
