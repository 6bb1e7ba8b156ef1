package dev.freetser.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Logs a failure that repeats (on every connection, with every routine: a full disk fails
 * thousands a second) once per kind per interval: the first at once, then at most one line per
 * interval, saying how many were left out since the line before. Safe for any number of threads.
 * No classes of its own, since it must work when no file can be opened to load one (EMFILE).
 * Internal: this package is not exported.
 */
public final class RateLimitedLog {
    private final System.Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    /** Per kind: when its last line was logged, and how many were left out since. */
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(System.Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    /** @param nanoTime the clock, {@link System#nanoTime()} but in tests */
    public RateLimitedLog(System.Logger log, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Logs the message, with the error's stack trace unless it is null, unless {@code kind}
     * logged less than an interval ago; then only counts it. Returns whether it logged.
     */
    public boolean log(System.Logger.Level level, String kind, String message, Throwable error) {
        long now = nanoTime.getAsLong();
        long[] w = windows.computeIfAbsent(kind, k -> new long[] {now - intervalNanos, 0});
        long unlogged;
        long since;
        synchronized (w) {
            if (now - w[0] < intervalNanos) {
                w[1]++;
                return false;
            }
            unlogged = w[1];
            since = now - w[0];
            w[0] = now;
            w[1] = 0;
        }
        String text = unlogged == 0 ? message : message + " (and " + unlogged + " more like it in the last "
                + Duration.ofNanos(since).toSeconds() + " s, not logged)";
        if (error == null) {
            log.log(level, text);
        } else {
            log.log(level, text, error);
        }
        return true;
    }
}
