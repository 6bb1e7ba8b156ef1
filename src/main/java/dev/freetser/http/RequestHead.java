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
}
