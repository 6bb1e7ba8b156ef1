package dev.freetser.http;

/** The peer broke the protocol: its bytes cannot be a valid request. */
public final class RemoteProtocolException extends ProtocolException {
    public RemoteProtocolException(String message, int status) {
        super(message, status);
    }
}
