package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogbackConfiguratorTest {
    private final LoggerContext context = new LoggerContext();

    @BeforeEach
    void shareTheMdc() {
        // A context of its own, with the MDC that org.slf4j.MDC writes to, as the running service's context has.
        context.setMDCAdapter(((LoggerContext) LoggerFactory.getILoggerFactory()).getMDCAdapter());
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty(LogbackConfigurator.FORMAT_PROPERTY);
        System.clearProperty(LogbackConfigurator.LEVEL_PROPERTY);
        MDC.clear();
        context.stop();
    }

    @Test
    void textLinesCarryTheRequestIdInBrackets() {
        LogbackConfigurator.apply(context);

        String output = logged(logger -> {
            logger.info("no request");
            MDC.put("requestId", "abc-123");
            logger.info("in a request");
        });

        assertThat(output).containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  c\\.c\\.app\\.Test - no request\\n")
                .contains("c.c.app.Test [abc-123] - in a request\n");
    }

    @Test
    void jsonFormatWritesOneObjectPerLineWithTheMdcAsFields() {
        System.setProperty(LogbackConfigurator.FORMAT_PROPERTY, "json");
        LogbackConfigurator.apply(context);

        String output = logged(logger -> {
            MDC.put("requestId", "abc-123");
            logger.warn("hello {}", "json");
        });

        JsonObject line = new JsonObject(output.strip());
        assertThat(line.getString("message")).isEqualTo("hello json");
        assertThat(line.getString("level")).isEqualTo("WARN");
        assertThat(line.getString("requestId")).isEqualTo("abc-123");
        assertThat(line.getString("logger_name")).isEqualTo("com.catvsnoncat.app.Test");
        assertThat(line.getInteger("level_value")).isEqualTo(30000);
        assertThat(line.getString("@version")).isEqualTo("1");
        assertThat(line.getString("thread_name")).isEqualTo(Thread.currentThread().getName());
        assertThat(Instant.parse(line.getString("@timestamp"))).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(line.containsKey("stack_trace")).isFalse();
    }

    @Test
    void jsonFormatWritesAFailureAsItsStackTraceInTheSameLine() {
        System.setProperty(LogbackConfigurator.FORMAT_PROPERTY, "json");
        LogbackConfigurator.apply(context);

        String output = logged(logger -> logger.error("failed: {}", "\"quoted\"\nand on two lines",
                new IllegalStateException("the cause")));

        assertThat(output.strip()).doesNotContain("\n");
        JsonObject line = new JsonObject(output.strip());
        assertThat(line.getString("message")).isEqualTo("failed: \"quoted\"\nand on two lines");
        assertThat(line.getString("stack_trace")).startsWith("java.lang.IllegalStateException: the cause")
                .contains("at com.catvsnoncat.app.LogbackConfiguratorTest");
    }

    @Test
    void levelAndFormatCanChangeOnAContextInUse() {
        LogbackConfigurator.apply(context);
        System.setProperty(LogbackConfigurator.LEVEL_PROPERTY, "WARN");
        System.setProperty(LogbackConfigurator.FORMAT_PROPERTY, "json");
        LogbackConfigurator.apply(context);

        String output = logged(logger -> {
            logger.info("hidden");
            logger.warn("shown");
        });

        assertThat(output.lines()).hasSize(1).allSatisfy(line ->
                assertThat(new JsonObject(line).getString("message")).isEqualTo("shown"));
    }

    @Test
    void quietensTheLibrariesThatLogNoise() {
        LogbackConfigurator.apply(context);

        assertThat(context.getLogger("io.jhdf").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("io.micrometer.core.instrument.MeterRegistry").isWarnEnabled()).isFalse();
        assertThat(context.getLogger("io.vertx").isInfoEnabled()).isTrue();
    }

    @Test
    void aLogbackTestFileOnTheClassPathTakesPrecedence() {
        LogbackConfigurator configurator = new LogbackConfigurator();
        configurator.setContext(context);

        assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(LogbackConfigurator.configuredHere(context)).isFalse();
    }

    private String logged(java.util.function.Consumer<Logger> body) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.accept(context.getLogger("com.catvsnoncat.app.Test"));
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
