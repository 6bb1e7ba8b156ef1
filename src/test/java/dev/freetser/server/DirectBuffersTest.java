package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DirectBuffersTest {
    private ServerSocketChannel listening;
    private final List<SocketChannel> open = new ArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        listening = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws IOException {
        for (SocketChannel c : open) {
            c.close();
        }
        listening.close();
    }

    /** A connected pair: [0] non-blocking (the side under test), [1] blocking (the peer). */
    private SocketChannel[] pair() throws IOException {
        SocketChannel peer = SocketChannel.open(listening.getLocalAddress());
        SocketChannel tested = listening.accept();
        tested.configureBlocking(false);
        open.add(peer);
        open.add(tested);
        return new SocketChannel[] {tested, peer};
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Reads with DirectBuffers until {@code n} bytes came, parking on nothing: the peer has sent them. */
    private static byte[] readAll(SocketChannel c, ByteBuffer into, int n) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < n) {
            into.clear();
            int r = DirectBuffers.read(c, into);
            assertTrue(r >= 0, "no end of stream before " + n + " bytes");
            got.write(into.array(), into.arrayOffset(), into.position());
            if (r == 0) {
                Thread.onSpinWait();
            }
        }
        return got.toByteArray();
    }

    @Test
    void readPutsTheBytesAtTheBuffersPositionAndMovesIt() throws IOException {
        SocketChannel[] p = pair();
        p[1].write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes()));
        ByteBuffer dst = ByteBuffer.allocate(64).position(5).limit(60);
        int n = 0;
        while (n == 0) {
            n = DirectBuffers.read(p[0], dst);
        }
        assertEquals(18, n);
        assertEquals(23, dst.position());
        assertEquals(60, dst.limit());
        assertEquals("GET / HTTP/1.1\r\n\r\n", new String(dst.array(), 5, 18));
        assertEquals(0, DirectBuffers.held(), "the slot is given back");
    }

    @Test
    void readNeverTakesMoreThanTheBufferHasRoomFor() throws IOException {
        SocketChannel[] p = pair();
        byte[] sent = bytes(100, 1);
        p[1].write(ByteBuffer.wrap(sent));
        ByteBuffer dst = ByteBuffer.allocate(30);
        byte[] first = readAll(p[0], dst, 30);
        assertEquals(30, first.length);
        byte[] rest = readAll(p[0], ByteBuffer.allocate(70), 70);
        byte[] all = new byte[100];
        System.arraycopy(first, 0, all, 0, 30);
        System.arraycopy(rest, 0, all, 30, 70);
        assertArrayEquals(sent, all);
    }

    @Test
    void readReportsNothingAndEndOfStreamAsTheChannelDoes() throws IOException {
        SocketChannel[] p = pair();
        ByteBuffer dst = ByteBuffer.allocate(16);
        assertEquals(0, DirectBuffers.read(p[0], dst));
        assertEquals(0, dst.position());
        p[1].shutdownOutput();
        int n;
        do {
            n = DirectBuffers.read(p[0], dst);
        } while (n == 0);
        assertEquals(-1, n);
        assertEquals(0, DirectBuffers.held());
    }

    @Test
    void writeSendsTheBytesFromTheBuffersPositionAndMovesIt() throws IOException {
        SocketChannel[] p = pair();
        byte[] body = bytes(200, 2);
        ByteBuffer src = ByteBuffer.wrap(body).position(10).limit(150);
        int n = DirectBuffers.write(p[0], src);
        assertEquals(140, n);
        assertEquals(150, src.position());
        ByteBuffer got = ByteBuffer.allocate(140);
        while (got.hasRemaining()) {
            p[1].read(got);
        }
        assertArrayEquals(Arrays.copyOfRange(body, 10, 150), got.array());
        assertEquals(0, DirectBuffers.held());
    }

    /** Calls larger than a slot's buffer go the JDK's way, in one call, whole. */
    @Test
    void callsLargerThanASlotStillMoveEveryByte() throws Exception {
        SocketChannel[] p = pair();
        int size = DirectBuffers.SIZE * 4 + 3;
        byte[] sent = bytes(size, 3);
        try (ExecutorService peerSide = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> peer = peerSide.submit(() -> {
                ByteBuffer b = ByteBuffer.wrap(sent);
                while (b.hasRemaining()) {
                    p[1].write(b);
                }
                return null;
            });
            byte[] got = readAll(p[0], ByteBuffer.allocate(size), size);
            peer.get(10, TimeUnit.SECONDS);
            assertArrayEquals(sent, got);

            ByteBuffer src = ByteBuffer.wrap(sent);
            Future<byte[]> back = peerSide.submit(() -> {
                ByteBuffer b = ByteBuffer.allocate(size);
                while (b.hasRemaining()) {
                    p[1].read(b);
                }
                return b.array();
            });
            while (src.hasRemaining()) {
                if (DirectBuffers.write(p[0], src) == 0) {
                    Thread.onSpinWait();
                }
            }
            assertArrayEquals(sent, back.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * When the socket takes only part of a write, the source's position says exactly how much:
     * the bytes the peer receives are the ones reported written, in order, none twice.
     */
    @Test
    void aPartialWriteMovesThePositionByWhatTheSocketTook() throws IOException {
        SocketChannel[] p = pair();
        p[0].setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        p[1].setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        byte[] chunk = bytes(DirectBuffers.SIZE, 4);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean partial = false;
        for (int i = 0; i < 1000 && !partial; i++) {
            ByteBuffer src = ByteBuffer.wrap(chunk);
            int n = DirectBuffers.write(p[0], src);
            assertEquals(n, src.position());
            written.write(chunk, 0, n);
            partial = n < chunk.length;
        }
        assertTrue(partial, "the peer does not read, so the socket fills up");
        p[0].shutdownOutput();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8192);
        while (p[1].read(b.clear()) >= 0) {
            received.write(b.array(), 0, b.position());
        }
        assertArrayEquals(written.toByteArray(), received.toByteArray());
        assertEquals(0, DirectBuffers.held());
    }

    /** More threads than slots at once: some calls go the JDK's way; no bytes mix up. */
    @Test
    void manyThreadsAtOnceEachGetTheirOwnBytes() throws Exception {
        int threads = 32;
        List<SocketChannel[]> pairs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            pairs.add(pair());
        }
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            SocketChannel[] p = pairs.get(i);
            long seed = 100 + i;
            tasks.add(() -> {
                Random r = new Random(seed);
                for (int round = 0; round < 200; round++) {
                    byte[] m = bytes(1 + r.nextInt(3000), r.nextLong());
                    ByteBuffer src = ByteBuffer.wrap(m);
                    while (src.hasRemaining()) {
                        DirectBuffers.write(p[0], src);
                    }
                    ByteBuffer echo = ByteBuffer.allocate(m.length);
                    while (echo.hasRemaining()) {
                        p[1].read(echo);
                    }
                    p[1].write(echo.flip());
                    assertArrayEquals(m, readAll(p[0], ByteBuffer.allocate(m.length), m.length));
                }
                return null;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get(20, TimeUnit.SECONDS);
            }
        }
        assertEquals(0, DirectBuffers.held());
    }
}
