package com.catvsnoncat.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops exactly one benign warning Netty logs when the HTTP server shuts down: "Failed to register an accepted
 * channel" with the bare IllegalStateException thrown by Vert.x's {@code VertxEventLoopGroup.next()}.
 *
 * <p>Why it cannot be avoided from the application: in Vert.x 5.0.x, {@code NetServerImpl.doShutdown} removes the
 * last server instance's event loop from the acceptor's load balancer first and only then closes the listening
 * socket, on the acceptor thread (Vert.x marks it "THIS CAN BE RACY"). A connection accepted between the two finds no
 * event loop, and Netty closes it and logs this. No request is lost: the connection never reached a handler, as if it
 * had come a moment later and been refused. Nothing public closes the listening socket earlier, and a single server
 * instance has the same window. Fixed in Vert.x by eclipse-vertx/vert.x#6366 (issue #6087); remove this filter when
 * the Vert.x BOM carries it.
 */
public final class ShutdownAcceptRaceFilter extends TurboFilter {
    private static final String LOGGER = "io.netty.bootstrap.ServerBootstrap";
    private static final String MESSAGE = "Failed to register an accepted channel";
    private static final String THROWER = "io.vertx.core.net.impl.VertxEventLoopGroup";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (!LOGGER.equals(logger.getName()) || format == null || !format.startsWith(MESSAGE)) {
            return FilterReply.NEUTRAL;
        }
        // Netty passes the exception as the last argument of the message, not as logback's throwable.
        Throwable failure = t != null ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last
                : null;
        return fromEmptyEventLoopGroup(failure) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    private static boolean fromEmptyEventLoopGroup(Throwable failure) {
        if (!(failure instanceof IllegalStateException) || failure.getMessage() != null) {
            return false;
        }
        StackTraceElement[] stack = failure.getStackTrace();
        return stack.length > 0 && THROWER.equals(stack[0].getClassName()) && "next".equals(stack[0].getMethodName());
    }
}
