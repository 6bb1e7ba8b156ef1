package dev.freetser.http;

import java.util.List;

/**
 * A final response's status line and header section (status 200..599).
 *
 * @param fieldsChecked whether the sender has already checked every field (a token name, a value
 *     without CR, LF or other controls), as the server's fields are by {@code dev.freetser.Header}
 *     and the request parser; the connection then reads only the fields it acts on (framing and
 *     Connection) and checks those. When false it checks every field before writing any.
 */
public record ResponseHead(int status, List<Field> fields, boolean fieldsChecked) implements Event {

    /** A head whose fields the connection checks. */
    public ResponseHead(int status, List<Field> fields) {
        this(status, fields, false);
    }
}
