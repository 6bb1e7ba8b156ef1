package dev.freetser;

/**
 * Thrown by a handler to answer with a chosen status and a short text body; the connection
 * stays open. The message is sent to the client, so it must not echo secrets.
 */
public class HttpException extends RuntimeException {
    private final int status;

    /** @throws IllegalArgumentException if status is not 400..599 */
    public HttpException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("HttpException status must be 400..599, got " + status);
        }
        this.status = status;
    }

    /** The status code the client receives. */
    public int status() {
        return status;
    }
}
