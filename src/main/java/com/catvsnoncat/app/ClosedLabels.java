package com.catvsnoncat.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vertx.micrometer.Label;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keeps every label that a client can influence within a closed set, for every meter of the registry: each new
 * value is a new time series kept for the life of the process, and one invented HTTP method per request (any token
 * is a valid method) once grew the registry until a scrape exhausted the heap. Methods outside the standard ones
 * become {@value #OTHER}; status codes outside the common ones become their class ({@code 4xx}), or {@value #OTHER}
 * when they have none (an upstream server may send any three digits). Route labels need nothing: they are the
 * router's templates, not the paths requested.
 */
final class ClosedLabels implements MeterFilter {
    static final String OTHER = "other";
    private static final String METHOD = Label.HTTP_METHOD.toString();
    private static final String CODE = Label.HTTP_CODE.toString();
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");
    private static final Set<String> CODES = Set.of("100", "101", "200", "201", "202", "204", "206", "301", "302",
            "303", "304", "307", "308", "400", "401", "403", "404", "405", "406", "408", "409", "410", "411", "413",
            "414", "415", "416", "422", "429", "431", "500", "501", "502", "503", "504");

    @Override
    public Meter.Id map(Meter.Id id) {
        List<Tag> tags = null;
        for (Tag tag : id.getTagsAsIterable()) {
            String closed = closed(tag.getKey(), tag.getValue());
            if (!closed.equals(tag.getValue())) {
                if (tags == null) {
                    tags = new ArrayList<>();
                    id.getTagsAsIterable().forEach(tags::add);
                }
                tags.replaceAll(each -> each.getKey().equals(tag.getKey()) ? Tag.of(each.getKey(), closed) : each);
            }
        }
        return tags == null ? id : id.replaceTags(tags);
    }

    static String closed(String key, String value) {
        if (key.equals(METHOD)) {
            return METHODS.contains(value) ? value : OTHER;
        }
        if (key.equals(CODE) && !CODES.contains(value)) {
            boolean threeDigits = value.length() == 3 && value.chars().allMatch(Character::isDigit);
            return threeDigits && value.charAt(0) >= '1' && value.charAt(0) <= '5' ? value.charAt(0) + "xx" : OTHER;
        }
        return value;
    }
}
