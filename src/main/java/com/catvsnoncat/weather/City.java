package com.catvsnoncat.weather;

import io.vertx.core.json.JsonObject;

/** A configured city: the name shown to users and the coordinates the provider is asked about. */
record City(String name, double latitude, double longitude) {
    City {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("weather config: every city needs a non-blank name");
        }
        if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("weather config: coordinates of " + name + " must be latitude in"
                    + " [-90, 90] and longitude in [-180, 180], got " + latitude + ", " + longitude);
        }
    }

    /** Reads {@code {"name", "latitude", "longitude"}}. */
    static City fromJson(JsonObject json) {
        return new City(json.getValue("name") instanceof String name ? name : null,
                coordinate(json, "latitude"), coordinate(json, "longitude"));
    }

    private static double coordinate(JsonObject json, String key) {
        if (!(json.getValue(key) instanceof Number number)) {
            throw new IllegalArgumentException("weather config: city " + json.encode() + " needs a numeric " + key);
        }
        return number.doubleValue();
    }
}
