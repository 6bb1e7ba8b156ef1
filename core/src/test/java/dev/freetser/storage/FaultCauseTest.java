package dev.freetser.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The kind a storage failure is logged under, so each cause gets its own rate limit. */
class FaultCauseTest {
    @Test
    void aFailureIsCountedUnderItsFaultOrElseItsCode() {
        assertEquals("FULL", StorageLoop.cause(new StorageException("x", StorageException.Fault.FULL, 13, null)));
        assertEquals("code 787", StorageLoop.cause(new StorageException("x", 787, null)));
    }
}
