package dev.freetser.http;

/**
 * Byte arrays of {@link #SIZE} that no connection uses right now, shared by all connections, so
 * that one waiting for its next request holds no buffer: with many kept-alive connections most
 * wait at any moment, and their buffers would be most of their memory (2 KiB of about 6).
 * Last in, first out, so a returned array is taken again while still in the CPU's cache. Holds at
 * most {@link #MAX_SPARE}; arrays returned beyond that are left to the garbage collector.
 */
final class SpareArrays {
    /** The size of the arrays kept: a connection's first receive buffer and output. */
    static final int SIZE = 1024;
    /** What the arrays of an idle buffer are replaced with. */
    static final byte[] NONE = new byte[0];
    private static final int MAX_SPARE = 256;

    private static final byte[][] spare = new byte[MAX_SPARE][];
    private static int count;

    private SpareArrays() {
    }

    /** A spare array, or a new one; its contents are undefined. */
    static byte[] take() {
        synchronized (spare) {
            if (count > 0) {
                byte[] b = spare[--count];
                spare[count] = null;
                return b;
            }
        }
        return new byte[SIZE];
    }

    /** Keeps {@code b} for the next {@link #take} if it has {@link #SIZE} bytes and there is room. */
    static void give(byte[] b) {
        if (b.length != SIZE) {
            return;
        }
        synchronized (spare) {
            if (count < MAX_SPARE) {
                spare[count++] = b;
            }
        }
    }

    /** How many arrays are kept (for tests). */
    static int spare() {
        synchronized (spare) {
            return count;
        }
    }
}
