package com.catvsnoncat.cli;

import com.catvsnoncat.classifier.ClassifierFailure;
import com.catvsnoncat.data.DatasetException;
import com.catvsnoncat.data.ImageDecodingException;
import com.catvsnoncat.model.ModelFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns the errors a user can cause (bad files, bad options, bad data) into one line on stderr and exit code 1;
 * anything else is a bug and keeps its stack trace.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int USER_ERROR = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult)
            throws Exception {
        String message = userMessage(e);
        if (message == null) {
            throw e;
        }
        commandLine.getErr().println("error: " + message);
        return USER_ERROR;
    }

    static String userMessage(Throwable e) {
        if (e instanceof DatasetException || e instanceof ModelFileException || e instanceof ImageDecodingException
                || e instanceof ClassifierFailure
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        if (e instanceof UncheckedIOException unchecked) {
            return userMessage(unchecked.getCause());
        }
        if (e instanceof IOException io) {
            return io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage();
        }
        return null;
    }
}
