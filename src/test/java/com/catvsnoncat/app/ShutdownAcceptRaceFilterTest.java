package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.net.impl.VertxEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The service's logging drops Netty's shutdown-race warning, and only that one. */
class ShutdownAcceptRaceFilterTest {
    private static final String NETTY_MESSAGE = "Failed to register an accepted channel: {}";
    private static final String CHANNEL = "[id: 0x26ff2859, L:/127.0.0.1:8080]";

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void dropsTheWarningOfAConnectionAcceptedWhileTheLastServerInstanceShutsDown() {
        // What Vert.x throws when the acceptor finds no event loop left: the very exception, from the very place.
        Throwable noEventLoop = catchThrowable(() -> new VertxEventLoopGroup().next());

        logger("io.netty.bootstrap.ServerBootstrap").warn(NETTY_MESSAGE, CHANNEL, noEventLoop);

        assertThat(noEventLoop).isInstanceOf(IllegalStateException.class);
        assertThat(logged.list).isEmpty();
    }

    @Test
    void keepsOtherFailuresToRegisterAnAcceptedChannel() {
        IllegalStateException other = new IllegalStateException("executor not accepting a task");

        logger("io.netty.bootstrap.ServerBootstrap").warn(NETTY_MESSAGE, CHANNEL, other);
        logger("io.netty.bootstrap.ServerBootstrap").warn("Failed to register an accepted channel", other);

        assertThat(logged.list).hasSize(2);
    }

    @Test
    void keepsTheSameExceptionLoggedElsewhere() {
        Throwable noEventLoop = catchThrowable(() -> new VertxEventLoopGroup().next());

        logger("io.vertx.core.net.impl.NetServerImpl").warn(NETTY_MESSAGE, CHANNEL, noEventLoop);
        logger("io.netty.bootstrap.ServerBootstrap").warn("Unexpected exception", noEventLoop);

        assertThat(logged.list).hasSize(2);
    }

    private Logger logger(String name) {
        if (!logged.isStarted()) {
            LogbackConfigurator.apply(context);
            logged.setContext(context);
            logged.start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logged);
        }
        return context.getLogger(name);
    }
}
