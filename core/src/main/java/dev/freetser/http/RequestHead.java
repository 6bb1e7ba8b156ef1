package dev.freetser.http;

import java.util.List;

/**
 * A request line and its header section.
 *
 * @param method the method token
 * @param target the request-target as sent
 * @param minorVersion 1 for HTTP/1.1, 0 for HTTP/1.0
 * @param fields the header fields in order
 */
public record RequestHead(String method, String target, int minorVersion, List<Field> fields) implements Event {

    /**
     * The path of the target, not percent-decoded: up to the first {@code ?} of an origin-form
     * target, what follows the authority of an absolute-form one ({@code /} when nothing does),
     * {@code *} for asterisk-form.
     */
    public String path() {
        return RequestTarget.path(target);
    }

    /** The raw query after the first {@code ?}, or {@code ""} when there is none. */
    public String query() {
        return RequestTarget.query(target);
    }
}
