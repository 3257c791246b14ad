package com.catvsnoncat.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work a command runs on a second core while it does something else (reading the test set while the training set
 * is read, loading the chart library while training), awaited later with its own exception. A daemon thread each:
 * a command that fails meanwhile leaves nothing behind that keeps the JVM alive.
 */
final class Background<T> {
    private final FutureTask<T> task;

    private Background(FutureTask<T> task) {
        this.task = task;
    }

    static <T> Background<T> start(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(() -> {
            try {
                return work.call();
            } finally {
                Timeline.mark(name + " done");
            }
        });
        Thread thread = new Thread(task, "catvsnoncat-" + name);
        thread.setDaemon(true);
        thread.start();
        return new Background<>(task);
    }

    /** Waits for the work to end, whatever its outcome (a failed set-up shows again where its result is used). */
    void join() {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Left to the work's user.
        }
    }

    /** The work's result, or the exception it threw (an unchecked one or an IOException) as it was thrown. */
    T await() throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + task);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
