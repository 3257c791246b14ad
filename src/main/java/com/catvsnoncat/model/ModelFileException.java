package com.catvsnoncat.model;

/**
 * Any failure to read or write a model file. The message is one line that names the file and the problem,
 * so that a CLI or a server log can show it as is.
 */
public class ModelFileException extends RuntimeException {

    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
