package dev.freetser.http;

import java.util.Objects;

/** One header or trailer field: name and value as on the wire (ISO-8859-1), value trimmed. */
public record Field(String name, String value) {

    /** @throws NullPointerException if name or value is null */
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
