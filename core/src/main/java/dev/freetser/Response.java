package dev.freetser;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A response a {@link Handler} returns: a status, header fields and either a body of known bytes
 * or a {@link BodyWriter} that streams one. The server adds Content-Length (or chunked framing),
 * Date and Connection itself; Content-Length and Transfer-Encoding given here are ignored.
 *
 * @param status 200..599
 * @param headers the header fields to send
 * @param body the body bytes (empty when {@code stream} is set); do not mutate
 * @param stream a streamed body, or {@code null}
 */
public record Response(int status, Headers headers, byte[] body, BodyWriter stream) {
    private static final byte[] NO_BODY = new byte[0];
    /** The headers of text and JSON responses, made (and checked) once: Headers are immutable. */
    private static final Headers TEXT = Headers.of("Content-Type", "text/plain; charset=utf-8");
    private static final Headers JSON = Headers.of("Content-Type", "application/json");

    /** @throws IllegalArgumentException for a status outside 200..599 */
    public Response {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("response status must be 200..599, got " + status);
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        if (stream != null && body.length > 0) {
            throw new IllegalArgumentException("a response has either body bytes or a stream, not both");
        }
    }

    /** 200 with a UTF-8 text/plain body. */
    public static Response text(String text) {
        return text(text, 200);
    }

    /** A UTF-8 text/plain body with the given status. */
    public static Response text(String text, int status) {
        return new Response(status, TEXT, text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** 200 with the object written as JSON (records keep their field order). */
    public static Response json(Object value) {
        return json(value, 200);
    }

    /** The object written as JSON with the given status. */
    public static Response json(Object value, int status) {
        return new Response(status, JSON, Json.JSON.asBytes(value), null);
    }

    /** 204 No Content. */
    public static Response empty() {
        return empty(204);
    }

    /** The given status with no body and no Content-Type. */
    public static Response empty(int status) {
        return new Response(status, Headers.empty(), NO_BODY, null);
    }

    /** 200 with the given body bytes and Content-Type. */
    public static Response bytes(String contentType, byte[] body) {
        return bytes(contentType, body, 200);
    }

    /** The given body bytes and Content-Type with the given status. */
    public static Response bytes(String contentType, byte[] body, int status) {
        return new Response(status, Headers.of("Content-Type", contentType), body, null);
    }

    /** 200 with a body streamed by {@code writer}, of the given Content-Type. */
    public static Response stream(String contentType, BodyWriter writer) {
        return new Response(200, Headers.of("Content-Type", contentType), NO_BODY, Objects.requireNonNull(writer));
    }

    /**
     * A copy with one more header field.
     *
     * @throws IllegalArgumentException when the name or value is not allowed (see {@link Header})
     */
    public Response withHeader(String name, String value) {
        return new Response(status, headers.with(name, value), body, stream);
    }

    /** A copy with another status. */
    public Response withStatus(int status) {
        return new Response(status, headers, body, stream);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Response r && status == r.status && headers.equals(r.headers)
                && Arrays.equals(body, r.body) && Objects.equals(stream, r.stream);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body), stream);
    }

    @Override
    public String toString() {
        return "Response[" + status + ", " + headers + ", "
                + (stream != null ? "streamed" : body.length + " body bytes") + "]";
    }
}
