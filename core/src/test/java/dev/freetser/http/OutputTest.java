package dev.freetser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTest {
    @Test
    void byteBufferShowsWhatWasWrittenAndIsReusedUntilTheArrayGrows() {
        Output out = new Output(4);
        out.writeLatin1("abc");
        ByteBuffer first = out.asByteBuffer();
        assertEquals("abc", StandardCharsets.ISO_8859_1.decode(first).toString());

        out.reset();
        out.writeLatin1("xy");
        ByteBuffer again = out.asByteBuffer();
        assertSame(first, again);
        assertEquals(0, again.position());
        assertEquals("xy", StandardCharsets.ISO_8859_1.decode(again).toString());

        out.writeLatin1("longer than four");
        ByteBuffer grown = out.asByteBuffer();
        assertNotSame(first, grown);
        assertEquals("xylonger than four", StandardCharsets.ISO_8859_1.decode(grown).toString());
    }

    @Test
    void resetKeepsASmallArrayAndDropsOneGrownPast64KiB() {
        Output out = new Output();
        assertEquals(1024, out.array().length);
        out.writeLatin1("HTTP/1.1 200 OK\r\n");
        byte[] array = out.array();
        out.reset();
        assertSame(array, out.array(), "a small array is kept for the next response");
        out.write(new byte[100_000]);
        assertEquals(100_000, out.length());
        out.reset();
        assertEquals(0, out.length());
        assertEquals(1024, out.array().length, "one big response does not pin its array");
    }
}
