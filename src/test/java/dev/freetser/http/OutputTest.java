package dev.freetser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void releaseWhenEmptyLetsGoOfTheArrayAndTheNextWriteTakesOne() {
        Output out = new Output(SpareArrays.SIZE);
        out.writeLatin1("first");
        byte[] array = out.array();
        out.release();
        assertSame(array, out.array(), "not released while bytes are in it");
        assertEquals("first", StandardCharsets.ISO_8859_1.decode(out.asByteBuffer()).toString());
        out.reset();
        out.release();
        assertEquals(0, out.array().length);
        assertEquals(0, out.asByteBuffer().remaining());
        out.writeLatin1("second");
        assertEquals(SpareArrays.SIZE, out.array().length);
        assertEquals("second", StandardCharsets.ISO_8859_1.decode(out.asByteBuffer()).toString());
        out.reset();
        out.release();
        out.write(new byte[3000]); // larger than a spare array: a new one of its own
        assertEquals(3000, out.length());
        assertTrue(out.array().length >= 3000);
    }
}
