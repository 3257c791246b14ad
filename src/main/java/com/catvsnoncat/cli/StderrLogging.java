package com.catvsnoncat.cli;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J for the commands other than serve (train, evaluate, predict, import, crossvalidate). They log nothing
 * themselves, so what is left is their libraries' errors, printed as plain lines on stderr. Logback, which serve needs
 * for its levels and its JSON format, loads some 300 classes to set up: about 0.25 s of CPU, which a reference
 * training run waited for before it could start. {@link Main} picks this provider by SLF4J's {@code slf4j.provider}
 * property; the service loader never finds it, so serve and the tests keep logback.
 */
public final class StderrLogging implements SLF4JServiceProvider {
    private final ILoggerFactory loggers = new ILoggerFactory() {
        @Override
        public Logger getLogger(String name) {
            return new ErrorLogger(name);
        }
    };
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    /** Errors only: below that the libraries report what they read (jhdf every header, and its own version). */
    private static final class ErrorLogger extends LegacyAbstractLogger {
        ErrorLogger(String name) {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public boolean isWarnEnabled() {
            return false;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            System.err.println(level + " " + name + " - " + MessageFormatter.basicArrayFormat(pattern, arguments));
            if (throwable != null) {
                throwable.printStackTrace();
            }
        }
    }
}
