package com.catvsnoncat.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The service's logging, set up in code rather than in a logback.xml: parsing XML costs about a fifth of a second of
 * start-up (an XML parser and some 400 classes), and the production configuration pays it twice, since its "logging"
 * section switches the format after start. Found by logback through META-INF/services.
 *
 * <p>LOG_FORMAT picks "text" (default), readable lines with the request id in brackets, or "json", one object per
 * line with the MDC as fields, for Kubernetes log collectors; LOG_LEVEL sets the root level (default INFO). Both are
 * read from system properties, then environment variables. A logback-test.xml or {@code -Dlogback.configurationFile}
 * still wins, as in logback's own order.
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {
    static final String FORMAT_PROPERTY = "LOG_FORMAT";
    static final String LEVEL_PROPERTY = "LOG_LEVEL";
    private static final String TEXT_PATTERN =
            "%d{HH:mm:ss.SSS} %-5level %logger{20}%replace( [%X{requestId}]){' \\[\\]', ''} - %msg%n";
    /** Marks a context configured here, so a change of format rebuilds it here too. */
    private static final String CONFIGURED_HERE = LogbackConfigurator.class.getName();

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogbackConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether {@link #apply} set up this context (rather than a logback file). */
    static boolean configuredHere(LoggerContext context) {
        return context.getObject(CONFIGURED_HERE) != null;
    }

    /** Sets up the context from LOG_FORMAT and LOG_LEVEL as they are now; a context in use is reset first. */
    static void apply(LoggerContext context) {
        if (configuredHere(context)) {
            context.reset();
        }
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder("json".equals(setting(FORMAT_PROPERTY)) ? jsonEncoder(context) : textEncoder(context));
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(setting(LEVEL_PROPERTY), Level.INFO));
        root.addAppender(appender);
        // jhdf logs every header it reads, and warns about its own version.
        context.getLogger("io.jhdf").setLevel(Level.ERROR);
        // Vert.x's event-bus gauges register the same gauge again for each new handler metric; Micrometer keeps the
        // first and warns, harmlessly.
        context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
        ShutdownAcceptRaceFilter shutdownAcceptRace = new ShutdownAcceptRaceFilter();
        shutdownAcceptRace.setContext(context);
        shutdownAcceptRace.start();
        context.addTurboFilter(shutdownAcceptRace);
        context.putObject(CONFIGURED_HERE, Boolean.TRUE);
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    /** A setting's value in effect: the system property, else the environment variable, else null. */
    static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }
}
