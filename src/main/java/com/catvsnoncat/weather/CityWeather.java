package com.catvsnoncat.weather;

import io.vertx.core.json.JsonObject;

/** One city in the reply: a reading (possibly stale) or an error, never both. */
record CityWeather(String name, Reading reading, boolean stale, String error) {
    static CityWeather fresh(City city, Reading reading) {
        return new CityWeather(city.name(), reading, false, null);
    }

    static CityWeather stale(City city, Reading reading) {
        return new CityWeather(city.name(), reading, true, null);
    }

    static CityWeather failed(City city, String error) {
        return new CityWeather(city.name(), null, false, error);
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject().put(WeatherApi.NAME, name);
        if (reading == null) {
            return json.put(WeatherApi.ERROR, error);
        }
        return json.put(WeatherApi.TEMPERATURE, reading.temperature())
                .put(WeatherApi.HUMIDITY, reading.humidity())
                .put(WeatherApi.CONDITION, reading.condition())
                .put(WeatherApi.ICON, reading.icon())
                .put(WeatherApi.ICON_CODE, reading.iconCode())
                .put(WeatherApi.STALE, stale);
    }
}
