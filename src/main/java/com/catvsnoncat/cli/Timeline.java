package com.catvsnoncat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a command's wall and CPU time go, for finding what to make faster: started with
 * {@code -Dcatvsnoncat.timeline=$(date +%s%N)} (the launch time in epoch nanoseconds), each phase's end is printed on
 * stderr in ms since the launch (so JVM start is included), with the CPU time of the thread that ended it and of the
 * whole process; {@link #threads} adds each thread's CPU time, the JIT compilers' included. Without the property
 * nothing is printed. CPU times come from Linux's /proc and are left out elsewhere.
 */
final class Timeline {
    static final String PROPERTY = "catvsnoncat.timeline";
    private static final long TICK_MILLIS = 10;

    private Timeline() {
    }

    static boolean enabled() {
        return System.getProperty(PROPERTY) != null;
    }

    static void mark(String phase) {
        String launch = System.getProperty(PROPERTY);
        if (launch == null) {
            return;
        }
        Instant now = Instant.now();
        long sinceLaunch = now.getEpochSecond() * 1_000_000_000L + now.getNano() - Long.parseLong(launch);
        System.err.printf("timeline %8.1f ms  %-28s %-30s thread CPU %5d ms, process CPU %5d ms%n", sinceLaunch / 1e6,
                phase, "[" + Thread.currentThread().getName() + "]", threadCpuNanos() / 1_000_000,
                processCpuMillis());
    }

    /** Each live thread's CPU time, threads of one kind (numbered names) summed. */
    static void threads() {
        if (!enabled()) {
            return;
        }
        Map<String, Long> millis = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                String[] stat = stat(task.resolve("stat"));
                if (stat.length > 0) {
                    millis.merge(stat[0].replaceAll("[0-9]+$", "#"), cpuMillis(stat), Long::sum);
                }
            });
        } catch (IOException e) {
            return;
        }
        millis.forEach((thread, cpu) -> {
            if (cpu > 0) {
                System.err.printf("timeline CPU %5d ms  %s%n", cpu, thread);
            }
        });
    }

    /** The calling thread's time on a CPU in ns (/proc/thread-self/schedstat), or -1. */
    private static long threadCpuNanos() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/thread-self/schedstat")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long processCpuMillis() {
        String[] stat = stat(Path.of("/proc/self/stat"));
        return stat.length > 0 ? cpuMillis(stat) : -1;
    }

    /**
     * A /proc stat line as the thread's name (which may hold spaces: "C2 CompilerThre") followed by the fields after
     * it (state first); empty if unreadable.
     */
    private static String[] stat(Path file) {
        try {
            String line = Files.readString(file);
            int close = line.lastIndexOf(')');
            String[] fields = line.substring(close + 2).split(" ");
            String[] stat = new String[fields.length + 1];
            stat[0] = line.substring(line.indexOf('(') + 1, close);
            System.arraycopy(fields, 0, stat, 1, fields.length);
            return stat;
        } catch (IOException | RuntimeException e) {
            return new String[0];
        }
    }

    /** utime + stime, in clock ticks of 10 ms (Linux's USER_HZ). */
    private static long cpuMillis(String[] stat) {
        return (Long.parseLong(stat[12]) + Long.parseLong(stat[13])) * TICK_MILLIS;
    }
}
