package dev.freetser.http;

/** The peer closed its side cleanly between messages. {@link Connection} returns only {@link #INSTANCE}. */
public record ConnectionClosed() implements Event {
    public static final ConnectionClosed INSTANCE = new ConnectionClosed();
}
