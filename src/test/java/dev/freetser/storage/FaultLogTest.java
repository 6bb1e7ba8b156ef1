package dev.freetser.storage;

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

/** The log of repeated failures: one line per cause per interval, counting what it left out. */
@Timeout(10)
class FaultLogTest {
    private final Lines lines = new Lines();
    private long now = 1_000;
    private final FaultLog log = new FaultLog(lines, Duration.ofSeconds(10), () -> now);

    @Test
    void theFirstFailureOfACauseIsLoggedAndTheRestOfTheIntervalOnlyCounted() {
        assertTrue(log.log(Level.WARNING, "FULL", "add failed: disk full"));
        for (int i = 0; i < 1_000; i++) {
            now += 9_000_000; // 9 s in all: still within the interval
            assertFalse(log.log(Level.WARNING, "FULL", "add failed: disk full"));
        }
        assertEquals(List.of("WARNING add failed: disk full"), lines.lines);
    }

    @Test
    void afterTheIntervalTheNextFailureIsLoggedWithHowManyWereLeftOut() {
        log.log(Level.WARNING, "FULL", "first");
        now += 1_000_000_000L;
        log.log(Level.WARNING, "FULL", "left out");
        log.log(Level.WARNING, "FULL", "left out");
        now += 11_000_000_000L;
        assertTrue(log.log(Level.WARNING, "FULL", "again"));
        now += 10_000_000_000L;
        assertTrue(log.log(Level.ERROR, "FULL", "and again, none left out"));
        assertEquals(List.of("WARNING first", "WARNING again (and 2 more like it in the last 12 s, not logged)",
                "ERROR and again, none left out"), lines.lines);
    }

    @Test
    void eachCauseHasItsOwnInterval() {
        assertTrue(log.log(Level.WARNING, "FULL", "full"));
        assertTrue(log.log(Level.WARNING, "IO", "io"));
        assertFalse(log.log(Level.WARNING, "FULL", "full"));
        assertFalse(log.log(Level.WARNING, "IO", "io"));
        assertEquals(List.of("WARNING full", "WARNING io"), lines.lines);
    }

    @Test
    void aFailureIsCountedUnderItsFaultOrElseItsCode() {
        assertEquals("FULL", FaultLog.cause(new StorageException("x", StorageException.Fault.FULL, 13, null)));
        assertEquals("code 787", FaultLog.cause(new StorageException("x", 787, null)));
    }

    @Test
    void theMessageIsLoggedAsItIsWithoutAStackTrace() {
        log.log(Level.WARNING, "code 1", "braces {0} stay");
        assertEquals(List.of("WARNING braces {0} stay"), lines.lines);
        assertEquals(0, lines.thrown);
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
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
            this.thrown++;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + (params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params)));
        }
    }
}
