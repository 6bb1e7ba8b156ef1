package dev.freetser.http;

import java.util.List;

/** The end of a message body, with the trailer fields of a chunked body (usually none). */
public record EndOfMessage(List<Field> trailers) implements Event {
    public static final EndOfMessage EMPTY = new EndOfMessage(List.of());
}
