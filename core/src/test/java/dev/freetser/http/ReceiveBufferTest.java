package dev.freetser.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReceiveBufferTest {

    private static void append(ReceiveBuffer b, String s) {
        byte[] bytes = Exchange.bytes(s);
        b.append(bytes, 0, bytes.length);
    }

    private static String take(ReceiveBuffer b, int n) {
        return new String(b.take(n), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void compactsInsteadOfGrowing() {
        ReceiveBuffer b = new ReceiveBuffer();
        append(b, "x".repeat(1000));
        byte[] array = b.array();
        assertEquals("x".repeat(900), take(b, 900));
        append(b, "y".repeat(900));
        assertSame(array, b.array(), "the 100 unread bytes moved to the front");
        assertEquals(0, b.start());
        assertEquals("x".repeat(100) + "y".repeat(900), take(b, 1000));
        assertTrue(b.isEmpty());
    }

    @Test
    void growsAndShrinksBackWhenEmptied() {
        ReceiveBuffer b = new ReceiveBuffer();
        append(b, "ab");
        append(b, "c".repeat(100_000));
        assertEquals(100_002, b.size());
        assertEquals("ab", take(b, 2));
        assertEquals(100_000, b.take(100_000).length);
        assertTrue(b.array().length <= 64 * 1024, "a big body does not pin its buffer");
    }

    @Test
    void findsHeadEndAcrossAppendsFromWhereItStopped() {
        ReceiveBuffer b = new ReceiveBuffer();
        String head = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
        for (int i = 0; i < head.length() - 1; i++) {
            append(b, head.substring(i, i + 1));
            assertEquals(-1, b.findHeadEnd(1000), "after " + (i + 1) + " bytes");
            assertEquals(i >= 15, b.sawLineEnd());
        }
        append(b, "\nNEXT");
        assertEquals(head.length(), b.findHeadEnd(1000));
        assertEquals(head.length(), b.findHeadEnd(1000), "asking again gives the same answer");
    }

    @Test
    void headEndBeyondTheLimitIsNotFound() {
        ReceiveBuffer b = new ReceiveBuffer();
        append(b, "GET / HTTP/1.1\r\n\r\n");
        assertEquals(-1, b.findHeadEnd(17));
        assertEquals(18, b.findHeadEnd(18));
    }

    @Test
    void findsLineEnd() {
        ReceiveBuffer b = new ReceiveBuffer();
        append(b, "5;a=b\r");
        assertEquals(-1, b.findLineEnd(100), "a CR at the end waits for its LF");
        append(b, "\nhello");
        assertEquals(7, b.findLineEnd(100));
        b.consume(7);
        assertEquals("hello", take(b, 5));
    }

    @Test
    void bareLineBreaksAreRefused() {
        for (String s : new String[] {"GET /\nHost", "GET /\rHost", "\n", "a\r\r\n"}) {
            ReceiveBuffer b = new ReceiveBuffer();
            append(b, s);
            RemoteProtocolException e = assertThrows(RemoteProtocolException.class, () -> b.findHeadEnd(100), s);
            assertEquals(400, e.status());
        }
    }

    @Test
    void anArrayGrownPast64KiBIsDroppedOnceEmpty() {
        ReceiveBuffer b = new ReceiveBuffer();
        assertEquals(0, b.array().length, "nothing received yet");
        append(b, "GET / HT");
        assertEquals(1024, b.array().length);
        append(b, "z".repeat(70_000));
        assertEquals("GET / HT", take(b, 8));
        assertEquals(70_000, b.take(70_000).length);
        assertEquals(0, b.array().length, "one big body does not pin its array");
        append(b, "a".repeat(2000));
        byte[] small = b.array();
        assertEquals(2000, b.take(2000).length);
        assertSame(small, b.array(), "a small array is kept");
    }

    @Test
    void byteAtAndConsume() {
        ReceiveBuffer b = new ReceiveBuffer();
        append(b, "abc");
        b.consume(1);
        assertEquals('b', b.byteAt(0));
        assertEquals(2, b.size());
        assertFalse(b.isEmpty());
        assertArrayEquals(Exchange.bytes("bc"), b.take(2));
    }
}
