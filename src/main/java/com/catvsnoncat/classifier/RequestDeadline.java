package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** A time limit on a whole request: the answer is a {@link Failure#TIMEOUT} (504) when the work is late. */
final class RequestDeadline {
    private RequestDeadline() {
    }

    static <T> Future<T> within(Vertx vertx, long millis, Future<T> work) {
        Promise<T> promise = Promise.promise();
        long timer = vertx.setTimer(millis, id -> promise.tryFail(new ClassifierFailure(Failure.TIMEOUT,
                "the classification took longer than " + millis + " ms")));
        work.onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.succeeded()) {
                promise.tryComplete(result.result());
            } else {
                promise.tryFail(result.cause());
            }
        });
        return promise.future();
    }
}
