package dev.freetser.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte array that {@link Connection#send} serializes into, so a whole response can be
 * written to the socket with one write. Mutable; owned by one connection thread.
 */
public final class Output {
    private static final int INITIAL_CAPACITY = 1024;
    private static final int KEEP_CAPACITY = 64 * 1024;

    private byte[] buf;
    private int length;
    /** A reusable view of {@code buf} for {@link #asByteBuffer}. */
    private ByteBuffer view;

    /** An output with room for a typical small response. */
    public Output() {
        this(INITIAL_CAPACITY);
    }

    /** An output with its own array of {@code initialCapacity} bytes to begin with. */
    public Output(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    public void write(int b) {
        ensure(1);
        buf[length++] = (byte) b;
    }

    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, length, len);
        length += len;
    }

    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    /**
     * Writes each char as one byte (ISO-8859-1); callers pass only validated header text. The
     * deprecated {@code String.getBytes(int, int, byte[], int)} does exactly that (it keeps the
     * low eight bits of each char) and copies a Latin-1 string's bytes in one go.
     */
    @SuppressWarnings("deprecation")
    public void writeLatin1(String s) {
        int n = s.length();
        ensure(n);
        s.getBytes(0, n, buf, length);
        length += n;
    }

    /** The backing array; bytes {@code 0..length()-1} are the output. */
    public byte[] array() {
        return buf;
    }

    /**
     * The output as a buffer to write from: position 0, limit {@link #length()}. One view is
     * reused (a new one only after the array grew), valid until the next write or reset.
     */
    public ByteBuffer asByteBuffer() {
        if (view == null || view.array() != buf) {
            view = ByteBuffer.wrap(buf);
        }
        return view.clear().limit(length);
    }

    public int length() {
        return length;
    }

    /** Empties the output; an array grown past 64 KiB is dropped, so one big response does not pin memory. */
    public void reset() {
        length = 0;
        if (buf.length > KEEP_CAPACITY) {
            buf = new byte[INITIAL_CAPACITY];
        }
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }
}
