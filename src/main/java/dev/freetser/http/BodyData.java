package dev.freetser.http;

/** A piece of a message body; the array is owned by the event and must not be mutated. */
public record BodyData(byte[] data) implements Event {
}
