package dev.freetser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeadersTest {
    @Test
    void lookupIgnoresCaseAndKeepsOrder() {
        Headers h = Headers.of("Set-Cookie", "a=1", "Content-Type", "text/plain", "set-cookie", "b=2");
        assertEquals("a=1", h.get("SET-COOKIE"));
        assertEquals(List.of("a=1", "b=2"), h.all("set-cookie"));
        assertNull(h.get("Missing"));
        assertEquals(1, h.without("set-cookie").size());
    }

    @Test
    void valuesThatWouldSplitAResponseAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Header("X", "a\r\nSet-Cookie: evil"));
        assertThrows(IllegalArgumentException.class, () -> new Header("X", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> new Header("X", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> new Header("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> new Header("", "v"));
        assertEquals("a\tb", new Header("X", "a\tb").value());
    }

    @Test
    void fieldsReadByIndexInOrder() {
        Headers h = Headers.of("A", "1").with("B", "2");
        assertEquals(2, h.size());
        assertEquals("B", h.name(1));
        assertEquals("2", h.value(1));
        assertEquals(List.of(new Header("A", "1"), new Header("B", "2")), h.list());
        assertEquals(h, Headers.of(h.list()));
        assertThrows(IndexOutOfBoundsException.class, () -> h.name(2));
        assertThrows(IndexOutOfBoundsException.class, () -> h.value(-1));
    }

    @Test
    void laterChangesToTheCallersArrayDoNotReachTheHeaders() {
        String[] namesAndValues = {"X", "safe"};
        Headers h = Headers.of(namesAndValues);
        namesAndValues[1] = "a\r\nSet-Cookie: evil";
        assertEquals("safe", h.get("x"));
    }

    @Test
    void withAndOfCheckLikeTheHeaderConstructor() {
        assertThrows(IllegalArgumentException.class, () -> Headers.empty().with("X", "a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> Headers.empty().with("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> Headers.of("X", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> Headers.of("X", null));
        assertThrows(IllegalArgumentException.class, () -> Headers.of("X"));
    }
}
