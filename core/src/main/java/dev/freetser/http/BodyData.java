package dev.freetser.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A piece of a message body; the array is owned by the event and must not be mutated. */
public record BodyData(byte[] data) implements Event {

    /** Equal when the bytes are equal (a record would compare the array references). */
    @Override
    public boolean equals(Object o) {
        return o instanceof BodyData other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    /** The length and up to 64 bytes as ISO-8859-1 text, for test failures and logs. */
    @Override
    public String toString() {
        int shown = Math.min(data.length, 64);
        String text = new String(data, 0, shown, StandardCharsets.ISO_8859_1);
        return "BodyData[" + data.length + " bytes: " + text + (shown < data.length ? "...]" : "]");
    }
}
