package com.catvsnoncat.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * One socket write for all an HTTP/2 connection writes in one event-loop task, instead of one per frame. Vert.x
 * flushes after each frame it writes outside a read, and a gRPC answer, written when the classifier replies, is
 * three: headers, the message, then the trailers (in a second flush): two write system calls, and two TCP segments
 * that each wake the client. Netty's FlushConsolidationHandler defers a flush made outside a read to the end of the
 * current task, so the three frames leave in one write; during a read it flushes at the read's end, as before.
 *
 * <p>HTTP/1.1 connections are left alone: Vert.x already writes a response there in one flush.
 */
final class Http2Flushes {
    private static final String NAME = "catvsnoncatFlushConsolidation";

    private Http2Flushes() {
    }

    /** Consolidates the connection's flushes if it is HTTP/2 (Vert.x's own connection, so an internal one). */
    static void consolidate(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) {
            return;
        }
        ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
        ChannelHandlerContext http2 = pipeline.context(Http2ConnectionHandler.class);
        if (http2 != null && pipeline.get(NAME) == null) {
            // Before the HTTP/2 handler (nearer the socket): it sees the flushes the handler passes on.
            pipeline.addBefore(http2.name(), NAME, new FlushConsolidationHandler(
                    FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        }
    }
}
