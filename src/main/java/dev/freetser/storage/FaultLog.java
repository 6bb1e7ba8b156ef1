package dev.freetser.storage;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Logs failures that repeat with every routine (a full disk fails each write, thousands a
 * second) once per cause per interval: the first at once, then at most one line per interval,
 * which says how many were left out since the line before. Without it a full disk filled the
 * rest of itself with log lines. The count left out shows with the cause's next line. Confined
 * to one thread (the storage thread, the checkpoint thread).
 */
final class FaultLog {
    /** How often one cause may log. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final System.Logger logger;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new HashMap<>();

    /** When a cause last logged, and how many of its failures since then were not logged. */
    private static final class Window {
        long loggedAt;
        long unlogged;
    }

    FaultLog(System.Logger logger) {
        this(logger, INTERVAL, System::nanoTime);
    }

    /** @param nanoTime the clock, {@link System#nanoTime()} but in tests */
    FaultLog(System.Logger logger, Duration interval, LongSupplier nanoTime) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Logs the message, without a stack trace, unless {@code cause} logged less than an interval
     * ago; then only counts it. Returns whether it logged.
     */
    boolean log(Level level, String cause, String message) {
        long now = nanoTime.getAsLong();
        Window window = windows.get(cause);
        if (window == null) {
            window = new Window();
            windows.put(cause, window);
        } else if (now - window.loggedAt < intervalNanos) {
            window.unlogged++;
            return false;
        }
        String line = window.unlogged == 0 ? message : message + " (and " + window.unlogged
                + " more like it in the last " + Duration.ofNanos(now - window.loggedAt).toSeconds() + " s, not logged)";
        window.loggedAt = now;
        window.unlogged = 0;
        logger.log(level, line);
        return true;
    }

    /** The name a StorageException is counted under: its fault, else its code. */
    static String cause(StorageException e) {
        return e.fault() != null ? e.fault().name() : "code " + e.code();
    }
}
