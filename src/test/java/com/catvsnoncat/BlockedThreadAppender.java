package com.catvsnoncat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;

/** Hands Vert.x's blocked-thread warnings to {@link BlockedThreads} (configured in logback-test.xml). */
public final class BlockedThreadAppender extends AppenderBase<ILoggingEvent> {
    /** Enough of the blocked thread's stack to see the culprit. */
    private static final int STACK_FRAMES = 12;

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder report = new StringBuilder(event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
            StackTraceElementProxy[] frames = event.getThrowableProxy().getStackTraceElementProxyArray();
            for (int i = 0; i < Math.min(frames.length, STACK_FRAMES); i++) {
                report.append("\n    at ").append(frames[i].getStackTraceElement());
            }
        }
        BlockedThreads.warned(report.toString());
    }
}
