package dev.freetser.http;

/** One header or trailer field: name and value as on the wire (ISO-8859-1), value trimmed. */
public record Field(String name, String value) {
}
