package dev.freetser.server;

import static dev.freetser.Polling.until;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The watcher on its own: a loopback socket pair, the server end registered, the test acting as
 * the connection's thread. A thread that waits is woken by bytes, room to write, or the end of
 * the connection; a socket with bytes nobody waits for does not keep the loop busy. Run as it
 * is in the server (the loop polls briefly before it blocks) and, in {@link SocketWatcherBlockingTest},
 * with a loop that blocks at once.
 */
@Timeout(30)
class SocketWatcherTest {
    private SocketWatcher watcher;
    private Thread loop;
    private ServerSocketChannel listening;

    /** How long the loop polls before it blocks; the default here, overridden by subclasses. */
    long pollNanos() {
        return IdlePoll.WINDOW_NANOS;
    }

    @BeforeEach
    void start() throws IOException {
        watcher = new SocketWatcher(pollNanos());
        loop = Thread.ofVirtual().name("watcher-under-test").start(watcher);
        listening = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() throws Exception {
        watcher.close();
        assertTrue(loop.join(Duration.ofSeconds(10)), "the loop ends on close");
        listening.close();
    }

    /** A connected pair: the client end (blocking) and the server end, registered with the watcher. */
    private record Pair(SocketChannel client, SocketChannel server, SocketWatcher.Watch watch) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            client.close();
            server.close();
        }
    }

    private Pair connect() throws IOException {
        SocketChannel client = SocketChannel.open(listening.getLocalAddress());
        SocketChannel server = listening.accept();
        return new Pair(client, server, watcher.register(server));
    }

    /** Runs {@code task} on a virtual thread and returns its thread and result. */
    private static <T> Running<T> onVirtualThread(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return new Running<>(t, result);
    }

    private record Running<T>(Thread thread, CompletableFuture<T> result) {
        T get() throws Exception {
            return result.get(10, TimeUnit.SECONDS);
        }

        /** Until the thread is parked. */
        void awaitParked() {
            until(() -> thread.getState() == Thread.State.WAITING, "the thread parked");
        }
    }

    private static void write(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** On a virtual thread: waits until the socket is readable, then reads what is there. */
    private static Running<String> awaitThenRead(Pair p) {
        return onVirtualThread(() -> {
            p.watch().awaitReadable();
            return readAvailable(p.server());
        });
    }

    /** A thread waits to read; {@code text} from the client wakes it and is what it reads. */
    private static void assertAWaitIsWokenBy(Pair p, String text) throws Exception {
        var reader = awaitThenRead(p);
        reader.awaitParked();
        write(p.client(), text);
        assertEquals(text, reader.get());
    }

    /** Writes all of {@code b}, waiting for room whenever the socket takes nothing; returns the waits. */
    private static int writeAll(Pair p, ByteBuffer b) throws IOException {
        int waits = 0;
        while (b.hasRemaining()) {
            if (p.server().write(b) == 0) {
                waits++;
                p.watch().awaitWritable();
            }
        }
        return waits;
    }

    private static String readAvailable(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1024);
        int n = ch.read(b);
        return n < 0 ? "<eof>" : new String(b.array(), 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void aWaitingThreadIsWokenByBytes() throws Exception {
        try (Pair p = connect()) {
            assertAWaitIsWokenBy(p, "hello");
        }
    }

    @Test
    void bytesThatCameWhileTheThreadRanAreNotLostAndDoNotKeepTheLoopBusy() throws Exception {
        try (Pair p = connect()) {
            write(p.client(), "early");
            // Nobody waits: the loop stops watching the socket and parks, although it stays readable.
            until(p.watch()::muted, "the watch muted");
            until(() -> loop.getState() == Thread.State.WAITING, "the loop parked");
            var reader = awaitThenRead(p);
            assertEquals("early", reader.get());
            // Watched again: the next bytes wake the next wait.
            assertAWaitIsWokenBy(p, "later");
        }
    }

    @Test
    void aWriterWaitsForRoomAndEveryByteArrives() throws Exception {
        try (Pair p = connect()) {
            byte[] data = new byte[8 << 20]; // far more than both socket buffers hold
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31);
            }
            var writer = onVirtualThread(() -> writeAll(p, ByteBuffer.wrap(data)));
            writer.awaitParked(); // the buffers are full
            ByteBuffer received = ByteBuffer.allocate(data.length);
            while (received.hasRemaining()) {
                assertTrue(p.client().read(received) > 0);
            }
            assertArrayEquals(data, received.array());
            assertTrue(writer.get() > 0, "the writer had to wait");
            // Reading is watched again after a wait for room.
            assertAWaitIsWokenBy(p, "after");
        }
    }

    @Test
    void cancelEndsAWaitForBytesAndTheReadSeesTheEnd() throws Exception {
        try (Pair p = connect()) {
            var reader = awaitThenRead(p);
            reader.awaitParked();
            p.server().shutdownInput();
            p.watch().cancel();
            assertEquals("<eof>", reader.get());
            p.watch().awaitReadable(); // returns at once from now on
        }
    }

    @Test
    void closeEndsAWaitForRoomWithClosedChannelException() throws Exception {
        try (Pair p = connect()) {
            var writer = onVirtualThread(() -> writeAll(p, ByteBuffer.allocate(8 << 20)));
            writer.awaitParked();
            p.watch().close();
            var e = assertThrows(ExecutionException.class, writer::get);
            assertTrue(e.getCause() instanceof ClosedChannelException, e.getCause().toString());
        }
    }

    @Test
    void closedSocketsAreReleasedByTheLoop() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (Pair p = connect()) {
                p.watch().close();
                // The peer sees the end at once, although the loop releases the socket itself later.
                assertEquals(-1, p.client().read(ByteBuffer.allocate(1)));
            }
        }
        until(() -> watcher.registered() == 0, "no socket registered");
    }

    @Test
    void whenTheLoopEndsWaitingThreadsAreReleased() throws Exception {
        try (Pair p = connect()) {
            var reader = awaitThenRead(p);
            reader.awaitParked();
            watcher.close();
            assertTrue(loop.join(Duration.ofSeconds(10)));
            var e = assertThrows(ExecutionException.class, reader::get);
            assertTrue(e.getCause() instanceof ClosedChannelException, e.getCause().toString());
        }
    }

    @Test
    void bytesThatComeWhileTheLoopPollsWakeTheThread() throws Exception {
        watcher.close();
        assertTrue(loop.join(Duration.ofSeconds(10)));
        // A loop that polls until a socket is ready: it never blocks, so only polling can wake.
        watcher = new SocketWatcher(TimeUnit.HOURS.toNanos(1));
        loop = Thread.ofVirtual().name("polling-watcher").start(watcher);
        try (Pair p = connect()) {
            for (String text : new String[] {"first", "second", "third"}) {
                assertAWaitIsWokenBy(p, text);
            }
        }
    }
}
