package com.catvsnoncat.gateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * A gRPC call's HTTP request as the gRPC server reads it, its body held in the gateway's {@link BodyBudget} from its
 * first bytes until the call's response ends or its stream closes. A gRPC message has no Content-Length, but its
 * first five bytes say how long it is: that length (at most the message limit) is reserved before any of it is
 * passed on, as REST reserves a Content-Length, and bytes beyond it as they come. Without this, a hundred
 * concurrent streams of a few MB each (one connection, HTTP/2's usual stream limit) filled the image's 128 MiB heap
 * and the process exited. A call the budget cannot hold fails with UNAVAILABLE, as REST answers 503, and the rest of
 * its body is dropped as it comes: refused before its message is passed on, it holds nothing meanwhile. (Resetting
 * its stream instead would free it sooner, but Netty closes a connection after 200 resets in 30 s.) A body is held
 * to REST's pace too ({@link BodyPace}): one that trickles ends DEADLINE_EXCEEDED.
 *
 * <p>Touched only on its connection's event loop.
 */
final class BudgetedGrpcRequest extends HttpServerRequestWrapper {
    /** A gRPC message's prefix: a compressed flag, then its length as a 4-byte big-endian integer. */
    private static final int PREFIX = 5;

    /** HTTP/2's error code for a stream cancelled: the call ended, its client is to send no more. */
    private static final long CANCEL = 0x8;

    private final BodyBudget budget;
    private final long maxMessageBytes;
    private final BodyPace pace;
    private final Vertx vertx;
    private final long paceTimer;
    private Handler<Throwable> exceptionHandler;
    private long held;
    private long passed;
    /** The bytes were given back (or refused): nothing more is taken or passed on. */
    private boolean done;

    /** @param request a request of the gateway's HTTP server (Vert.x's own, so an internal one) */
    BudgetedGrpcRequest(HttpServerRequest request, BodyBudget budget, long maxMessageBytes, BodyPace pace) {
        super((HttpServerRequestInternal) request);
        this.budget = budget;
        this.maxMessageBytes = maxMessageBytes;
        this.pace = pace;
        this.vertx = delegate.context().owner();
        long start = System.nanoTime();
        paceTimer = vertx.setPeriodic(pace.checkEveryMs(), id -> checkPace(start));
        // The gRPC server sets neither on the response; for HTTP/2 the close handler runs whenever the stream closes.
        request.response().endHandler(ended -> release()).closeHandler(closed -> release());
    }

    /**
     * A message trickling in would hold its reservation for as long as the client likes (each byte resets the idle
     * timeout): past REST's body deadline or below its pace the call ends DEADLINE_EXCEEDED, and its stream is reset,
     * which drops what was read of it.
     */
    private void checkPace(long start) {
        if (done || delegate.isEnded()) {
            vertx.cancelTimer(paceTimer);
            return;
        }
        String problem = pace.problem(start, delegate.bytesRead());
        if (problem != null) {
            refuse(new StatusException(GrpcStatus.DEADLINE_EXCEEDED, problem));
            delegate.response().reset(CANCEL);
        }
    }

    @Override
    public HttpServerRequest handler(Handler<Buffer> handler) {
        delegate.handler(handler == null ? null : chunk -> {
            if (done) {
                return;
            }
            long needed = passed + chunk.length();
            if (passed == 0 && chunk.length() >= PREFIX) {
                needed = Math.max(needed, PREFIX + Math.min(chunk.getUnsignedInt(1), maxMessageBytes));
            }
            if (needed > held && !budget.tryTake(needed - held)) {
                refuse(new StatusException(GrpcStatus.UNAVAILABLE, BodyBudget.SPENT));
                return;
            }
            held = Math.max(held, needed);
            passed += chunk.length();
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        delegate.exceptionHandler(handler);
        return this;
    }

    /** Ends the call with {@code status}: its bytes are given back, and the rest of its body is dropped. */
    private void refuse(StatusException status) {
        release();
        if (exceptionHandler != null) {
            exceptionHandler.handle(status);
        }
    }

    private void release() {
        if (!done) {
            done = true;
            budget.giveBack(held);
            held = 0;
            vertx.cancelTimer(paceTimer);
        }
    }
}
