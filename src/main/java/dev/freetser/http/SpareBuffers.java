package dev.freetser.http;

import java.nio.ByteBuffer;

/**
 * Buffers of {@link #SIZE} bytes that no connection holds right now, shared by all connections.
 * A connection holds its receive buffer only while it reads and parses a request and its
 * {@link Output} only while it serializes and writes a response, so one that waits (for its next
 * request, or for its handler) holds neither; with many connections those buffers would otherwise
 * be a third of each one's memory. Each is taken and given back within one run of a thread, so a
 * few spares serve thousands of connections. Last in, first out: a buffer is taken again while it
 * is still in the CPU's cache. At most {@link #MAX_SPARE} are kept; more are left to the collector.
 */
final class SpareBuffers {
    /** The size of the buffers kept: a connection's first receive buffer and output. */
    static final int SIZE = 1024;
    /** What a buffer that holds nothing has instead of an array. */
    static final byte[] NONE = new byte[0];
    private static final int MAX_SPARE = 64;

    private static final ByteBuffer[] spare = new ByteBuffer[MAX_SPARE];
    private static int count;

    private SpareBuffers() {
    }

    /** A spare buffer, or a new one: a heap buffer of {@link #SIZE} bytes, contents undefined. */
    static ByteBuffer take() {
        synchronized (spare) {
            if (count > 0) {
                ByteBuffer b = spare[--count];
                spare[count] = null;
                return b;
            }
        }
        return ByteBuffer.wrap(new byte[SIZE]);
    }

    /**
     * Gives back {@code array}, with {@code view} when that wraps it (saves wrapping it again);
     * kept if it has {@link #SIZE} bytes and there is room.
     */
    static void give(byte[] array, ByteBuffer view) {
        if (array.length != SIZE) {
            return;
        }
        ByteBuffer b = view != null && view.array() == array ? view : ByteBuffer.wrap(array);
        synchronized (spare) {
            if (count < MAX_SPARE) {
                spare[count++] = b;
            }
        }
    }

    /** How many buffers are kept (for tests). */
    static int spare() {
        synchronized (spare) {
            return count;
        }
    }
}
