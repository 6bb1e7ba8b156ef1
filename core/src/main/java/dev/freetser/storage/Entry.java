package dev.freetser.storage;

import java.util.Arrays;

/**
 * A stored value with its update counter and expiration (Unix seconds, 0 = never). The array
 * is not copied: do not change it. Equality compares the bytes of the value.
 */
public record Entry(byte[] value, long counter, long expiresAt) {
    @Override
    public boolean equals(Object other) {
        return other instanceof Entry e
                && counter == e.counter
                && expiresAt == e.expiresAt
                && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(value) + Long.hashCode(counter)) + Long.hashCode(expiresAt);
    }

    @Override
    public String toString() {
        return "Entry[value=" + Arrays.toString(value) + ", counter=" + counter + ", expiresAt=" + expiresAt + "]";
    }
}
