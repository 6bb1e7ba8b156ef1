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
    void aPooledOutputHoldsAnArrayOnlyWhileBytesAreInIt() {
        Output out = new Output();
        assertEquals(0, out.array().length, "nothing written yet");
        out.writeLatin1("HTTP/1.1 200 OK\r\n");
        byte[] array = out.array();
        assertEquals(SpareBuffers.SIZE, array.length);
        out.release();
        assertSame(array, out.array(), "unwritten bytes keep their array");
        assertEquals("HTTP/1.1 200 OK\r\n", StandardCharsets.ISO_8859_1.decode(out.asByteBuffer()).toString());
        out.reset();
        out.release();
        assertEquals(0, out.array().length, "given back once written");
        out.write(new byte[5000]);
        assertEquals(5000, out.length(), "a write bigger than a spare gets an array of its own");
        out.reset();
        out.release();
        assertEquals(0, out.array().length);
    }
}
