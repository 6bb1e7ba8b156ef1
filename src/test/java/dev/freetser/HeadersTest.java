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
}
