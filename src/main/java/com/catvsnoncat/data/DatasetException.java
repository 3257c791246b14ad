package com.catvsnoncat.data;

/** A data set that cannot be read or does not have the expected shape; the message is meant for the user. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
