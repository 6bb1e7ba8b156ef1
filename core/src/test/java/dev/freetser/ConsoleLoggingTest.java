package dev.freetser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConsoleLoggingTest {
    @Test
    void writesOneLinePerRecordWithTimeLevelThreadAndLogger() throws Exception {
        java.util.List<java.util.logging.Handler> before = java.util.List.of(java.util.logging.Logger.getLogger("").getHandlers());
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (ConsoleLogging logs = ConsoleLogging.install(Level.INFO, new PrintStream(sink, true, StandardCharsets.UTF_8))) {
            CompletableFuture.runAsync(() -> System.getLogger("freetser.test").log(System.Logger.Level.INFO,
                    "served {0} requests", 3), r -> Thread.ofVirtual().name("freetser-conn-7").start(r)).get();
            System.getLogger("freetser.test").log(System.Logger.Level.DEBUG, "below the level: not written");
        }
        assertEquals(before, java.util.List.of(java.util.logging.Logger.getLogger("").getHandlers()), "handlers put back");
        String out = sink.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z INFO    \\[freetser-conn-7\\] freetser.test: served 3 requests\\R"), out);
    }

    @Test
    void stackTracesFollowTheirLine() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (ConsoleLogging logs = ConsoleLogging.install(Level.INFO, new PrintStream(sink, true, StandardCharsets.UTF_8))) {
            System.getLogger("freetser.test").log(System.Logger.Level.ERROR, "handler failed", new IllegalStateException("boom"));
            assertEquals(0, logs.dropped());
        }
        String out = sink.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("SEVERE  [main] freetser.test: handler failed"), out);
        assertTrue(out.contains("java.lang.IllegalStateException: boom"), out);
    }
}
