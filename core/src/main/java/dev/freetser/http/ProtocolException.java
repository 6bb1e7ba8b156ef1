package dev.freetser.http;

/**
 * A violation of HTTP/1.1, with the status code a server should answer it with (400 unless the
 * fault calls for 413, 414, 431, 501 or 505). Messages name the rule, never echo the bytes.
 */
public abstract sealed class ProtocolException extends RuntimeException
        permits LocalProtocolException, RemoteProtocolException {
    private final int status;

    protected ProtocolException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status that answers this error. */
    public int status() {
        return status;
    }
}
