package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import java.util.Objects;

/** A request the classifier cannot serve, with the failure code (HTTP status) and a message for the user. */
public class ClassifierFailure extends RuntimeException {
    private final Failure failure;

    public ClassifierFailure(Failure failure, String message) {
        this(failure, message, null);
    }

    public ClassifierFailure(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public Failure failure() {
        return failure;
    }
}
