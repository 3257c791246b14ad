package com.catvsnoncat.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * Applies the "logging" section: {@code format} ("text", readable lines, or "json", one JSON object per line for
 * Kubernetes) and {@code level}. Both default to null, which keeps what logback started with: the LOG_FORMAT and
 * LOG_LEVEL environment variables or system properties that {@link LogbackConfigurator} reads, else text and INFO.
 */
final class LoggingSetup {
    private LoggingSetup() {
    }

    static void apply(JsonObject logging) {
        if (logging == null) {
            return;
        }
        String format = logging.getString("format");
        String level = logging.getString("level");
        if (format != null && !format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("logging.format must be \"text\" or \"json\", got \"" + format + "\"");
        }
        boolean changed = set(LogbackConfigurator.FORMAT_PROPERTY, format) | set(LogbackConfigurator.LEVEL_PROPERTY,
                level == null ? null : level.toUpperCase(Locale.ROOT));
        if (changed && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            reconfigure(context);
        }
    }

    private static boolean set(String property, String value) {
        // Compared with what is in effect (the property, else the environment), so that a format logging already
        // started with (LOG_FORMAT=json in the image) is not set up a second time.
        if (value == null || Objects.equals(LogbackConfigurator.setting(property), value)) {
            return false;
        }
        System.setProperty(property, value);
        return true;
    }

    /** Sets up logging again, now with the properties set: in code, or from the same logback file if one was used. */
    private static void reconfigure(LoggerContext context) {
        if (LogbackConfigurator.configuredHere(context)) {
            LogbackConfigurator.apply(context);
            return;
        }
        URL file = ConfigurationWatchListUtil.getMainWatchURL(context);
        if (file == null) {
            return;
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(file);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot reconfigure logging from " + file + ": " + e.getMessage(), e);
        }
    }
}
