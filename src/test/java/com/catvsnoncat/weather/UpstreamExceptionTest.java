package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.weather.UpstreamException.Reason;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.DecodeException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class UpstreamExceptionTest {
    @Test
    void turnsNetworkFailuresIntoShortMessagesAndMetricReasons() {
        assertClassified(new UnknownHostException("api.open-meteo.com"), Reason.DNS, "DNS lookup failed");
        assertClassified(new ConnectException("Connection refused: /127.0.0.1:9"), Reason.CONNECTION_REFUSED, "connection refused");
        assertClassified(new ConnectTimeoutException("connection timed out"), Reason.TIMEOUT, "timed out");
        assertClassified(new TimeoutException("The timeout period of 3000ms has been exceeded"), Reason.TIMEOUT, "timed out");
        assertClassified(new HttpClosedException("Connection was closed"), Reason.CONNECTION_CLOSED, "connection closed by upstream");
        assertClassified(new DecodeException("Failed to decode"), Reason.BAD_RESPONSE, "bad answer from upstream: malformed JSON");
        assertClassified(OpenCircuitException.INSTANCE, Reason.CIRCUIT_OPEN, "upstream unavailable (circuit open)");
        assertClassified(new IllegalStateException("boom"), Reason.OTHER, "upstream request failed (IllegalStateException)");
    }

    @Test
    void looksThroughWrappingExceptions() {
        assertClassified(new VertxException(new UnknownHostException("nowhere.invalid")), Reason.DNS, "DNS lookup failed");
    }

    @Test
    void keepsNoStackTraceAndNeverTheUrl() {
        UpstreamException failure = UpstreamException.of(new ConnectException("https://api.openweathermap.org/?appid=secret"));

        assertThat(failure.getStackTrace()).isEmpty();
        assertThat(failure.getMessage()).doesNotContain("secret");
        assertThat(Reason.HTTP_STATUS.tag()).isEqualTo("http_status");
    }

    private static void assertClassified(Throwable failure, Reason reason, String message) {
        UpstreamException classified = UpstreamException.of(failure);
        assertThat(classified.reason()).isEqualTo(reason);
        assertThat(classified.getMessage()).isEqualTo(message);
    }
}
