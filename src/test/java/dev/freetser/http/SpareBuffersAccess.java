package dev.freetser.http;

import java.nio.ByteBuffer;
import java.util.List;

/** Lets tests in other packages see the shared spare buffers and empty them for a while. */
public final class SpareBuffersAccess {
    private SpareBuffersAccess() {
    }

    /** How many buffers are spare right now. */
    public static int spare() {
        return SpareBuffers.spare();
    }

    /** Takes every spare into {@code held}, to be given back with {@link #giveBack}. */
    public static void takeAll(List<ByteBuffer> held) {
        while (SpareBuffers.spare() > 0) {
            held.add(SpareBuffers.take());
        }
    }

    public static void giveBack(List<ByteBuffer> held) {
        for (ByteBuffer b : held) {
            SpareBuffers.give(b.array(), b);
        }
    }
}
