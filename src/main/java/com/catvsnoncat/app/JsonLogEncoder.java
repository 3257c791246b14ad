package com.catvsnoncat.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line, with the field names of logstash-logback-encoder's LogstashEncoder, which log
 * collectors know ({@code @timestamp}, {@code @version}, {@code message}, {@code logger_name}, {@code thread_name},
 * {@code level}, {@code level_value}, the MDC and key-value pairs as fields, {@code tags} for markers,
 * {@code stack_trace}). Written with Jackson's streaming generator, which Vert.x loads anyway: LogstashEncoder needs
 * jackson-databind, some 300 classes and about 85 ms of CPU at every start before the first line.
 */
final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NO_BYTES = new byte[0];
    private static final JsonFactory JSON = new JsonFactory();
    private final DateTimeFormatter timestamps = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneId.systemDefault());

    @Override
    public byte[] headerBytes() {
        return NO_BYTES;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("@timestamp", timestamps.format(event.getInstant()));
            json.writeStringField("@version", "1");
            json.writeStringField("message", event.getFormattedMessage());
            json.writeStringField("logger_name", event.getLoggerName());
            json.writeStringField("thread_name", event.getThreadName());
            json.writeStringField("level", event.getLevel().toString());
            json.writeNumberField("level_value", event.getLevel().toInt());
            for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    json.writeStringField(pair.key, String.valueOf(pair.value));
                }
            }
            if (event.getMarkerList() != null && !event.getMarkerList().isEmpty()) {
                json.writeArrayFieldStart("tags");
                for (Marker marker : event.getMarkerList()) {
                    json.writeString(marker.getName());
                }
                json.writeEndArray();
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("stack_trace", ThrowableProxyUtil.asString(thrown));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return NO_BYTES;
    }
}
