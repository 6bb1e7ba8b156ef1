package dev.freetser.http;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Buffers of {@link #SIZE} bytes that no connection holds right now, shared by all connections.
 * A connection holds its receive buffer only while it reads and parses a request and its
 * {@link Output} only while it serializes and writes a response, so one that waits (for its next
 * request, or for its handler) holds neither; with many connections those buffers would otherwise
 * be a third of each one's memory. Each is taken and given back within one run of a thread, so a
 * few spares serve thousands of connections, and a buffer given back is soon taken again, while
 * still in the CPU's cache. At most {@link #MAX_SPARE} are kept; more are left to the collector.
 */
final class SpareBuffers {
    /** The size of the buffers kept: a connection's first receive buffer and output. */
    static final int SIZE = 1024;
    /** What a buffer that holds nothing has instead of an array. */
    static final byte[] NONE = new byte[0];
    private static final int MAX_SPARE = 64;

    /**
     * Slots, filled from the front: with one buffer in use at a time, the common case, slot 0 is
     * taken and given back, one atomic operation each.
     */
    private static final AtomicReferenceArray<ByteBuffer> spare = new AtomicReferenceArray<>(MAX_SPARE);

    private SpareBuffers() {
    }

    /** A spare buffer, or a new one: a heap buffer of {@link #SIZE} bytes, contents undefined. */
    static ByteBuffer take() {
        for (int i = 0; i < MAX_SPARE; i++) {
            ByteBuffer b;
            if (spare.getPlain(i) != null && (b = spare.getAndSet(i, null)) != null) {
                return b;
            }
        }
        return ByteBuffer.wrap(new byte[SIZE]);
    }

    /**
     * Gives back {@code array}, with {@code view} when that wraps it (saves wrapping it again);
     * kept if it has {@link #SIZE} bytes and a slot is free.
     */
    static void give(byte[] array, ByteBuffer view) {
        if (array.length != SIZE) {
            return;
        }
        ByteBuffer b = view != null && view.array() == array ? view : ByteBuffer.wrap(array);
        for (int i = 0; i < MAX_SPARE; i++) {
            if (spare.getPlain(i) == null && spare.compareAndSet(i, null, b)) {
                return;
            }
        }
    }

    /** How many buffers are kept (for tests). */
    static int spare() {
        int n = 0;
        for (int i = 0; i < MAX_SPARE; i++) {
            n += spare.get(i) != null ? 1 : 0;
        }
        return n;
    }
}
