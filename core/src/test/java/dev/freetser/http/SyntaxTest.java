package dev.freetser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com", "EXAMPLE.com:8080", "h:", "127.0.0.1", "256.1.1.1", "a_b~c-d.e",
            "%7E%7e", "!$&'()*+,;=", "[::]", "[::1]", "[::1]:80", "[1:2:3:4:5:6:7:8]", "[1::8]", "[1:2:3:4:5:6:7::]",
            "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:1.2.3.4]", "[v7.a:b]", "[V1F.x]"})
    void validHosts(String host) {
        assertTrue(Syntax.isHost(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "a?b", "a#b", "u@h", "h:80:90", "h:x", "h: 1", "%", "%4", "%GG", "a\"b",
            "[::1", "::1", "[::1]x", "[::1]:a", "[]", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::]", "[:1]", "[1:]",
            "[::1.2.3]", "[::1.2.3.256]", "[::01.2.3.4]", "[1:2:3:4:5:6:7:1.2.3.4]", "[v.x]", "[v1.]", "[vg.x]",
            "[fe80::1%25eth0]", "caf\u00e9"})
    void invalidHosts(String host) {
        assertFalse(Syntax.isHost(host));
    }

    @Test
    void listElementsSkipEmptiesAndTrimOws() {
        Syntax.ListCursor c = new Syntax.ListCursor(" , a ,\tB c,, d\t,");
        List<String> elements = new ArrayList<>();
        while (c.next()) {
            elements.add(c.element());
        }
        assertEquals(List.of("a", "B c", "d"), elements);
        assertTrue(Syntax.listContains("Keep-Alive, CLOSE", "close"));
        assertFalse(Syntax.listContains("closed, xclose", "close"));
        assertFalse(Syntax.listContains(null, "close"));
    }

    @Test
    void digits() {
        assertEquals(0, Syntax.digits("0", 0, 1));
        assertEquals(42, Syntax.digits(" 042\t", 0, 5));
        assertEquals(Long.MAX_VALUE, Syntax.digits("9223372036854775807", 0, 19));
        assertEquals(-1, Syntax.digits("9223372036854775808", 0, 19));
        for (String bad : new String[] {"", " ", "+1", "-1", "1 2", "0x1", "1.0", "\u0661"}) {
            assertEquals(-1, Syntax.digits(bad, 0, bad.length()), bad);
        }
    }

    @Test
    void byteClasses() {
        assertTrue(Syntax.isToken("X-Custom_Header.1!#$%&'*+^`|~"));
        assertFalse(Syntax.isToken(""));
        assertFalse(Syntax.isToken("a:b"));
        assertFalse(Syntax.isToken("a b"));
        assertTrue(Syntax.isFieldValue("a \tb\u00ff\u0080~"));
        assertFalse(Syntax.isFieldValue("a\u007f"));
        assertFalse(Syntax.isFieldValue("a\u0100"));
        assertFalse(Syntax.isFieldValue("a\rb"));
    }
}
