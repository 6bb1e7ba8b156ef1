package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    /** A logger that keeps each message it is given. */
    private static final class Kept implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "kept";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg + (thrown == null ? "" : " [" + thrown.getMessage() + "]"));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }
    }

    @Test
    void logsTheFirstOfEachKindThenCountsTheRestUntilTheIntervalEnds() throws Exception {
        Kept kept = new Kept();
        long interval = TimeUnit.MILLISECONDS.toNanos(200);
        RateLimitedLog log = new RateLimitedLog(kept, interval);
        for (int i = 0; i < 1000; i++) {
            log.log(System.Logger.Level.WARNING, "accept", "accept failed " + i, null);
        }
        log.log(System.Logger.Level.ERROR, "handler", "handler failed", new IllegalStateException("boom"));
        assertEquals(List.of("WARNING accept failed 0", "ERROR handler failed [boom]"), kept.lines);

        long next = System.nanoTime() + interval;
        while (System.nanoTime() - next < 0) {
            Thread.onSpinWait(); // the interval must pass: a clock, not a synchronisation
        }
        log.log(System.Logger.Level.WARNING, "accept", "accept failed again", null);
        assertEquals("WARNING accept failed again (999 more like it since the last one logged)", kept.lines.get(2));
        log.log(System.Logger.Level.WARNING, "accept", "and once more", null);
        assertEquals(3, kept.lines.size());
    }
}
