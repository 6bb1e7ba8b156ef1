package dev.freetser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SpareBuffersTest {
    @Test
    void theLastBufferGivenIsTakenFirstWithItsView() {
        ByteBuffer view = SpareBuffers.take();
        assertEquals(SpareBuffers.SIZE, view.capacity());
        SpareBuffers.give(view.array(), view);
        assertSame(view, SpareBuffers.take());
        byte[] bare = new byte[SpareBuffers.SIZE];
        SpareBuffers.give(bare, null);
        assertSame(bare, SpareBuffers.take().array(), "an array given without its view is wrapped");
    }

    @Test
    void keepsOnlySpareSizedArraysAndAtMostSixtyFour() {
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            taken.add(SpareBuffers.take());
        }
        assertEquals(0, SpareBuffers.spare(), "taking 100 emptied the spares");
        SpareBuffers.give(new byte[2 * SpareBuffers.SIZE], null);
        SpareBuffers.give(new byte[SpareBuffers.SIZE / 2], null);
        assertEquals(0, SpareBuffers.spare(), "other sizes are left to the collector");
        for (ByteBuffer b : taken) {
            SpareBuffers.give(b.array(), b);
        }
        assertEquals(64, SpareBuffers.spare());
    }
}
