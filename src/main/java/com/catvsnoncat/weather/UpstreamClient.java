package com.catvsnoncat.weather;

import io.netty.handler.codec.http.QueryStringEncoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One GET of a provider's JSON answer with hard limits, which the Vert.x clients do not give: the whole call, from
 * connecting to the last byte, ends within its time limit (the connection is reset then, so an upstream dripping a
 * byte at a time cannot hold a connection of the pool), and an answer larger than {@code maxBytes} is refused as
 * soon as that is known. A 429 answer becomes {@link UpstreamException#rateLimited} with its Retry-After, which the
 * service honours. Every failure is an {@link UpstreamException} or a network exception it classifies.
 */
final class UpstreamClient {
    private static final String USER_AGENT = "catvsnoncat-weather";
    private static final int OK = 200;
    private static final int TOO_MANY_REQUESTS = 429;

    private final Vertx vertx;
    private final HttpClient client;
    private final long maxBytes;
    private final LongSupplier clock;

    /** @param clock the wall clock in milliseconds, to read a Retry-After given as a date */
    UpstreamClient(Vertx vertx, HttpClient client, long maxBytes, LongSupplier clock) {
        this.vertx = vertx;
        this.client = client;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** The URL {@code baseUrl + path} with the query parameters encoded. */
    static String url(String baseUrl, String path, Map<String, String> query) {
        QueryStringEncoder encoder = new QueryStringEncoder(baseUrl + path);
        query.forEach(encoder::addParam);
        return encoder.toString();
    }

    /** The answer as a JSON object, or a failure, within {@code timeoutMs}. */
    Future<JsonObject> getJson(String url, long timeoutMs) {
        Promise<JsonObject> result = Promise.promise();
        AtomicReference<HttpClientRequest> current = new AtomicReference<>();
        long timer = vertx.setTimer(timeoutMs, id -> {
            if (result.tryFail(UpstreamException.timedOut()) && current.get() != null) {
                current.get().reset();
            }
        });
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                        .setConnectTimeout(timeoutMs).putHeader(HttpHeaders.USER_AGENT, USER_AGENT)
                        .putHeader(HttpHeaders.ACCEPT, "application/json"))
                .compose(request -> {
                    current.set(request);
                    if (result.future().isComplete()) {
                        request.reset(); // the time ran out while connecting
                    }
                    return request.send();
                })
                .onSuccess(response -> read(response, current.get(), result))
                .onFailure(result::tryFail);
        return result.future().andThen(done -> vertx.cancelTimer(timer));
    }

    private void read(HttpClientResponse response, HttpClientRequest request, Promise<JsonObject> result) {
        response.exceptionHandler(result::tryFail);
        if (response.statusCode() != OK) {
            result.tryFail(response.statusCode() == TOO_MANY_REQUESTS
                    ? UpstreamException.rateLimited(retryAfterMs(response.getHeader(HttpHeaders.RETRY_AFTER)))
                    : UpstreamException.httpStatus(response.statusCode()));
            request.reset(); // the body of a failure is not wanted
            return;
        }
        String declared = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parseLong(declared) > maxBytes) {
            tooLarge(request, result);
            return;
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (result.future().isComplete()) {
                return;
            }
            if ((long) body.length() + chunk.length() > maxBytes) {
                tooLarge(request, result);
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.endHandler(end -> {
            try {
                result.tryComplete(UpstreamJson.parse(body));
            } catch (UpstreamException e) {
                result.tryFail(e);
            }
        });
    }

    private void tooLarge(HttpClientRequest request, Promise<JsonObject> result) {
        if (result.tryFail(UpstreamException.badResponse("answer larger than " + maxBytes + " bytes"))) {
            request.reset();
        }
    }

    /** Retry-After in seconds or as an HTTP date; -1 when absent or unreadable. */
    private long retryAfterMs(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            return value.length() > 9 ? Long.MAX_VALUE : Duration.ofSeconds(Long.parseLong(value)).toMillis();
        }
        try {
            Instant until = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, until.toEpochMilli() - clock.getAsLong());
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
