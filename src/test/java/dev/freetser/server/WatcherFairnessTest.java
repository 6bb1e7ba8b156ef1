package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The watcher keeps one carrier busy for as long as sockets stay ready, and a carrier runs its own
 * queue before work submitted from outside. The loop must still let that work run: here, in a JVM
 * with a single carrier, eight sockets are ready on every poll, for good (their byte is never
 * read), while a new virtual thread is started from a platform thread and another sleeps; both
 * must finish.
 */
@Timeout(60)
class WatcherFairnessTest {
    @Test
    void workFromOutsideRunsWhileTheLoopIsBusy() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Djdk.virtualThreadScheduler.parallelism=1",
                "-Djdk.virtualThreadScheduler.maxPoolSize=1", "-cp", System.getProperty("java.class.path"),
                Child.class.getName())
                .redirectErrorStream(true)
                .start();
        assertTrue(child.waitFor(50, TimeUnit.SECONDS), "child JVM did not end");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("outside work ran"), output);
    }

    /** Runs in the child JVM; exits 0 once the outside work ran, 1 if it did not within 10 s. */
    static final class Child {
        private static final int SOCKETS = 8;

        public static void main(String[] args) throws Exception {
            SocketWatcher watcher = new SocketWatcher();
            Thread.ofVirtual().name("watcher").start(watcher);
            ServerSocketChannel listening = ServerSocketChannel.open()
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            List<SocketChannel> clients = new ArrayList<>();
            CountDownLatch busy = new CountDownLatch(SOCKETS);
            for (int i = 0; i < SOCKETS; i++) {
                SocketChannel client = SocketChannel.open(listening.getLocalAddress());
                clients.add(client);
                SocketChannel server = listening.accept();
                SocketWatcher.Watch watch = watcher.register(server);
                client.write(ByteBuffer.allocate(1));
                Thread.ofVirtual().start(() -> waitWithoutReading(watch, busy));
            }
            busy.await();
            // The loop now wakes eight threads on every poll, for as long as the test runs.
            CountDownLatch ran = new CountDownLatch(2);
            Thread.ofVirtual().start(ran::countDown); // started from this platform thread: outside work
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(1); // its wake-up comes from the JDK's timer thread: outside work too
                } catch (InterruptedException e) {
                    return;
                }
                ran.countDown();
            });
            long t0 = System.nanoTime();
            boolean done = ran.await(10, TimeUnit.SECONDS);
            System.out.println((done ? "outside work ran" : "outside work did not run within 10 s") + " after " + (System.nanoTime() - t0) / 1000 + " us");
            System.exit(done ? 0 : 1);
        }

        /** The byte is never read, so the socket is ready on every poll and this thread woken each time. */
        private static void waitWithoutReading(SocketWatcher.Watch watch, CountDownLatch busy) {
            try {
                watch.awaitReadable();
                busy.countDown();
                while (true) {
                    watch.awaitReadable();
                }
            } catch (IOException e) {
                // the JVM is exiting
            }
        }
    }
}
