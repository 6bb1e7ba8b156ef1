package dev.freetser.http;

import java.util.Arrays;

/**
 * The bytes received from the peer and not yet parsed. It exists so that parsing costs linear
 * time however the bytes arrive: a search for the end of a line or of a head remembers how far
 * it already looked, so a client sending one byte at a time causes no rescans. Consumed bytes
 * are dropped by moving the unparsed rest to the front (compaction) rather than by allocating.
 * Mutable; used by one connection thread.
 *
 * <p>Its searches are strict about line endings (RFC 9112 2.2): a head line ends with CRLF,
 * and a bare LF or a CR not followed by LF is an error, which closes a request smuggling gap
 * between parsers that disagree about lone CR or LF.
 */
final class ReceiveBuffer {
    /** The first array's size: a typical request head fits. */
    private static final int INITIAL_CAPACITY = 1024;
    /** An emptied buffer larger than this is dropped, so one big body does not pin memory. */
    private static final int KEEP_CAPACITY = 64 * 1024;
    private static final byte[] NONE = new byte[0];

    private byte[] buf = NONE;
    private int start;
    private int end;
    /** Bytes after {@code start} already searched by {@link #findLineEnd} or {@link #findHeadEnd}. */
    private int scanned;
    /** Whether the search saw the end of the first line. */
    private boolean sawLineEnd;

    void append(byte[] data, int offset, int length) {
        makeRoom(length);
        System.arraycopy(data, offset, buf, end, length);
        end += length;
    }

    /** Ensures {@code length} free bytes after {@code end}, compacting before growing. */
    private void makeRoom(int length) {
        if (end + length <= buf.length) {
            return;
        }
        if (buf.length == 0) {
            buf = new byte[Math.max(length, INITIAL_CAPACITY)];
            return;
        }
        int size = end - start;
        if (size + length <= buf.length) {
            System.arraycopy(buf, start, buf, 0, size);
        } else {
            byte[] bigger = new byte[Math.max(buf.length * 2, size + length)];
            System.arraycopy(buf, start, bigger, 0, size);
            buf = bigger;
        }
        start = 0;
        end = size;
    }

    int size() {
        return end - start;
    }

    boolean isEmpty() {
        return end == start;
    }

    /** The backing array; the unparsed bytes are {@code start() .. start() + size() - 1}. */
    byte[] array() {
        return buf;
    }

    int start() {
        return start;
    }

    byte byteAt(int index) {
        return buf[start + index];
    }

    /** Drops {@code n} bytes from the front and forgets the search position. */
    void consume(int n) {
        start += n;
        scanned = 0;
        sawLineEnd = false;
        if (start == end) {
            start = 0;
            end = 0;
            if (buf.length > KEEP_CAPACITY) {
                buf = NONE;
            }
        }
    }

    /** Removes and returns the first {@code n} bytes. */
    byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        consume(n);
        return out;
    }

    /**
     * The length of the first line including its CRLF, or -1 when no CRLF is within the first
     * {@code limit} bytes yet.
     *
     * @throws RemoteProtocolException on a bare CR or LF
     */
    int findLineEnd(int limit) {
        return find(limit, true);
    }

    /**
     * The length of the head (lines up to and including the empty line that ends it), or -1
     * when no empty line is within the first {@code limit} bytes yet. The first line must not be
     * empty.
     *
     * @throws RemoteProtocolException on a bare CR or LF
     */
    int findHeadEnd(int limit) {
        return find(limit, false);
    }

    /** Whether the last search saw the CRLF that ends the first line. */
    boolean sawLineEnd() {
        return sawLineEnd;
    }

    private int find(int limit, boolean firstLine) {
        int stop = start + Math.min(end - start, limit);
        int i = start + scanned;
        for (; i < stop; i++) {
            byte b = buf[i];
            if (b == '\r') {
                if (i + 1 == end) {
                    break;
                }
                if (buf[i + 1] != '\n') {
                    throw bareLineBreak();
                }
            } else if (b == '\n') {
                if (i == start || buf[i - 1] != '\r') {
                    throw bareLineBreak();
                }
                sawLineEnd = true;
                if (firstLine || (i - start >= 3 && buf[i - 2] == '\n')) {
                    // Resume before the hit, so asking again finds it again at once.
                    scanned = i - (firstLine ? 1 : 3) - start;
                    return i + 1 - start;
                }
            }
        }
        scanned = i - start;
        return -1;
    }

    private static RemoteProtocolException bareLineBreak() {
        return new RemoteProtocolException("line break in request head is not CRLF (bare CR or LF)", 400);
    }
}
