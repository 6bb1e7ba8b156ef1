package dev.freetser.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The log of repeated failures: one line per kind per interval, counting what it left out. */
@Timeout(10)
class RateLimitedLogTest {
    private final Lines lines = new Lines();
    private long now = 1_000;
    private final RateLimitedLog log = new RateLimitedLog(lines, Duration.ofSeconds(10), () -> now);

    @Test
    void theFirstFailureOfACauseIsLoggedAndTheRestOfTheIntervalOnlyCounted() {
        assertTrue(log.log(Level.WARNING, "FULL", "add failed: disk full", null));
        for (int i = 0; i < 1_000; i++) {
            now += 9_000_000; // 9 s in all: still within the interval
            assertFalse(log.log(Level.WARNING, "FULL", "add failed: disk full", null));
        }
        assertEquals(List.of("WARNING add failed: disk full"), lines.lines);
    }

    @Test
    void afterTheIntervalTheNextFailureIsLoggedWithHowManyWereLeftOut() {
        log.log(Level.WARNING, "FULL", "first", null);
        now += 1_000_000_000L;
        log.log(Level.WARNING, "FULL", "left out", null);
        log.log(Level.WARNING, "FULL", "left out", null);
        now += 11_000_000_000L;
        assertTrue(log.log(Level.WARNING, "FULL", "again", null));
        now += 10_000_000_000L;
        assertTrue(log.log(Level.ERROR, "FULL", "and again, none left out", null));
        assertEquals(List.of("WARNING first", "WARNING again (and 2 more like it in the last 12 s, not logged)",
                "ERROR and again, none left out"), lines.lines);
    }

    @Test
    void eachCauseHasItsOwnInterval() {
        assertTrue(log.log(Level.WARNING, "FULL", "full", null));
        assertTrue(log.log(Level.WARNING, "IO", "io", null));
        assertFalse(log.log(Level.WARNING, "FULL", "full", null));
        assertFalse(log.log(Level.WARNING, "IO", "io", null));
        assertEquals(List.of("WARNING full", "WARNING io"), lines.lines);
    }

    @Test
    void theMessageIsLoggedAsItIsWithoutAStackTrace() {
        log.log(Level.WARNING, "code 1", "braces {0} stay", null);
        assertEquals(List.of("WARNING braces {0} stay"), lines.lines);
        assertEquals(0, lines.thrown);
    }

    @Test
    void anErrorGoesWithItsLineAndNotWithTheOnesLeftOut() {
        log.log(Level.ERROR, "handler", "handler failed", new IllegalStateException("boom"));
        log.log(Level.ERROR, "handler", "handler failed", new IllegalStateException("boom"));
        assertEquals(List.of("ERROR handler failed"), lines.lines);
        assertEquals(1, lines.thrown);
    }

    @Test
    void threadsLoggingAtOnceLogOneLineAndCountTheRest() throws Exception {
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    log.log(Level.WARNING, "accept", "accept failed", null);
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        now += 10_000_000_000L;
        log.log(Level.WARNING, "accept", "accept failed", null);
        assertEquals(List.of("WARNING accept failed",
                "WARNING accept failed (and 7999 more like it in the last 10 s, not logged)"), lines.lines);
    }

    /** A System.Logger that keeps "LEVEL message" and counts stack traces. */
    private static final class Lines implements System.Logger {
        final List<String> lines = new ArrayList<>();
        int thrown;

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public synchronized void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
            this.thrown++;
        }

        @Override
        public synchronized void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + (params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params)));
        }
    }
}
