package dev.freetser;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for what another thread does and only its state shows. Bounded on its own:
 * JUnit's {@code @Timeout} interrupts the test thread, which a polling loop never looks at.
 */
public final class Polling {
    private Polling() {
    }

    /** Polls {@code condition} for up to 10 s; fails the test, naming {@code what}, if it never holds. */
    public static void until(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("not within 10 s: " + what);
            }
            Thread.yield();
        }
    }
}
