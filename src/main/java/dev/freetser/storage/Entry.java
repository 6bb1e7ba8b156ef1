package dev.freetser.storage;

/** A stored value with its update counter and expiration (Unix seconds, 0 = never). */
public record Entry(byte[] value, long counter, long expiresAt) {
}
