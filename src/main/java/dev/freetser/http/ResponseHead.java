package dev.freetser.http;

import java.util.List;

/** A final response's status line and header section (status 200..599). */
public record ResponseHead(int status, List<Field> fields) implements Event {
}
