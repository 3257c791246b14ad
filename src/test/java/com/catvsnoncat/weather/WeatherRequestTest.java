package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeatherRequestTest {
    private static final City SEATTLE = new City("Seattle", 47.6062, -122.3321);
    private static final City MIAMI = new City("Miami", 25.7617, -80.1918);
    private static final List<City> CONFIGURED = List.of(SEATTLE, MIAMI);

    @Test
    void anEmptyRequestAsksForEveryConfiguredCity() {
        assertThat(WeatherRequest.cities(null, CONFIGURED)).isEqualTo(CONFIGURED);
        assertThat(WeatherRequest.cities(new JsonObject(), CONFIGURED)).isEqualTo(CONFIGURED);
    }

    @Test
    void picksTheNamedCitiesOnceEach() {
        JsonObject request = new JsonObject().put("cities", new JsonArray().add("Miami").add("Miami"));

        assertThat(WeatherRequest.cities(request, CONFIGURED)).containsExactly(MIAMI);
    }

    @Test
    void explainsWhatIsWrongWithAMalformedRequest() {
        assertThatThrownBy(() -> WeatherRequest.cities("Seattle", CONFIGURED))
                .hasMessage("weather request must be a JSON object");
        assertThatThrownBy(() -> WeatherRequest.cities(new JsonObject().put("cities", new JsonArray()), CONFIGURED))
                .hasMessage("cities must be a non-empty array of city names");
        assertThatThrownBy(() -> WeatherRequest.cities(new JsonObject().put("cities", new JsonArray().add(3)), CONFIGURED))
                .hasMessage("cities must be city names (strings), got 3");
        assertThatThrownBy(() -> WeatherRequest.cities(new JsonObject().put("cities", new JsonArray().add("Paris")), CONFIGURED))
                .hasMessage("unknown city 'Paris'; known: Miami, Seattle");
    }
}
