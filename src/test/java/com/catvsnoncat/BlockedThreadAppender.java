package com.catvsnoncat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hands Vert.x's blocked-thread warnings to {@link BlockedThreads} (configured in logback-test.xml). */
public final class BlockedThreadAppender extends AppenderBase<ILoggingEvent> {
    /** Enough of the blocked thread's stack to see the culprit. */
    private static final int STACK_FRAMES = 12;
    private static final Pattern BLOCKED = Pattern.compile("Thread (\\S+) has been blocked for (\\d+) ms");

    @Override
    protected void append(ILoggingEvent event) {
        if (explainedByLoadNow(event.getFormattedMessage())) {
            System.err.println("BlockedThreads: not failing, the machine's load now explains it: "
                    + event.getFormattedMessage());
            return;
        }
        StringBuilder report = new StringBuilder(event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
            StackTraceElementProxy[] frames = event.getThrowableProxy().getStackTraceElementProxyArray();
            if (isClassLoadingEpisode(event.getFormattedMessage(), frames)) {
                return;
            }
            for (int i = 0; i < Math.min(frames.length, STACK_FRAMES); i++) {
                report.append("\n    at ").append(frames[i].getStackTraceElement());
            }
        }
        BlockedThreads.warned(report.toString());
    }

    private static boolean explainedByLoadNow(String message) {
        Matcher matcher = BLOCKED.matcher(message);
        return matcher.find() && BlockedThreads.explainedByLoadNow(Long.parseLong(matcher.group(2)));
    }

    /** Per thread, how long it had been blocked when last caught loading classes. */
    private final Map<String, Long> classLoadingSince = new HashMap<>();

    /**
     * Whether this warning belongs to a blocking episode in which the thread was caught loading classes: Vert.x
     * warns repeatedly while one task runs ("blocked for 536 ms", then "638 ms"...), and a later sample may land
     * between two class loads.
     */
    private boolean isClassLoadingEpisode(String message, StackTraceElementProxy[] frames) {
        Matcher matcher = BLOCKED.matcher(message);
        if (!matcher.find()) {
            return false;
        }
        String thread = matcher.group(1);
        long blockedMs = Long.parseLong(matcher.group(2));
        Long previous = classLoadingSince.get(thread);
        if (isWarmingUp(frames) || previous != null && blockedMs > previous) {
            classLoadingSince.put(thread, blockedMs);
            return true;
        }
        classLoadingSince.remove(thread);
        return false;
    }

    /**
     * Whether the thread was caught in one-off JVM warm-up: loading or initialising classes, linking lambdas, or
     * Vert.x binding a server socket (the first server of a JVM initialises Netty's and the JDK's socket machinery
     * there). A loaded machine stretches these past the limit once per JVM; none says anything about code that
     * blocks the event loop.
     */
    private static boolean isWarmingUp(StackTraceElementProxy[] frames) {
        for (int i = 0; i < Math.min(frames.length, STACK_FRAMES); i++) {
            StackTraceElement frame = frames[i].getStackTraceElement();
            String type = frame.getClassName();
            if (type.equals("java.lang.ClassLoader") && (frame.getMethodName().startsWith("defineClass")
                    || frame.getMethodName().equals("loadClass"))
                    || type.startsWith("jdk.internal.loader.") || type.startsWith("java.lang.invoke.")
                    || frame.getMethodName().equals("<clinit>")
                    || type.equals("io.vertx.core.net.impl.NetServerImpl") && frame.getMethodName().equals("bind")) {
                return true;
            }
        }
        return false;
    }
}
