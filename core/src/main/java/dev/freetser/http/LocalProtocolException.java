package dev.freetser.http;

/** We tried to send something the protocol does not allow in the connection's current state. */
public final class LocalProtocolException extends ProtocolException {
    public LocalProtocolException(String message) {
        super(message, 500);
    }
}
