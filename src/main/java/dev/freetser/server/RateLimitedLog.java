package dev.freetser.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs the first failure of each kind, then at most one per interval with the count of those
 * left out: a failure that repeats on every connection (a full disk, a client flood) must not
 * flood the log. No classes of its own, since it must work when no file can be opened to load one.
 */
final class RateLimitedLog {
    private final System.Logger log;
    private final long intervalNanos;
    /** Per kind: when its last line was logged, and how many were left out since. */
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    RateLimitedLog(System.Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /** Logs the message, and the error's stack trace unless null, unless the kind was logged within the interval. */
    void log(System.Logger.Level level, String kind, String message, Throwable error) {
        long now = System.nanoTime();
        long[] w = windows.computeIfAbsent(kind, k -> new long[] {now - intervalNanos, 0});
        long suppressed;
        synchronized (w) {
            if (now - w[0] < intervalNanos) {
                w[1]++;
                return;
            }
            suppressed = w[1];
            w[0] = now;
            w[1] = 0;
        }
        String text = suppressed == 0 ? message : message + " (" + suppressed + " more like it since the last one logged)";
        if (error == null) {
            log.log(level, text);
        } else {
            log.log(level, text, error);
        }
    }
}
