package dev.freetser.http;

import java.util.List;

/** A 1xx response, such as {@code 100 Continue}. */
public record InformationalResponse(int status, List<Field> fields) implements Event {
}
