package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.json.JsonObject;
import java.util.StringJoiner;

/** The {@code Server-Timing} header (shown by browsers' developer tools) from the classifier's timings. */
final class ServerTiming {
    static final String HEADER = "Server-Timing";

    private ServerTiming() {
    }

    /** e.g. {@code fetch;dur=12.500, decode;dur=1.200, infer;dur=0.080, total;dur=13.900}; empty without timings. */
    static String of(JsonObject timings) {
        if (timings == null) {
            return "";
        }
        StringJoiner header = new StringJoiner(", ");
        metric(header, "fetch", timings.getValue(ClassifierApi.FETCH_MS));
        metric(header, "decode", timings.getValue(ClassifierApi.DECODE_MS));
        metric(header, "infer", timings.getValue(ClassifierApi.INFER_MS));
        metric(header, "total", timings.getValue(ClassifierApi.TOTAL_MS));
        return header.toString();
    }

    private static void metric(StringJoiner header, String name, Object millis) {
        if (millis instanceof Number number) {
            header.add(name + ";dur=" + Milliseconds.format(number.doubleValue(), 3));
        }
    }
}
