package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Handler;
import dev.freetser.Response;
import dev.freetser.Server;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection waiting for its next request parks with only its loop's frames above the wait: a
 * parked virtual thread's frames are copied to the heap, so every idle keep-alive connection pays
 * for each frame it waits under.
 */
@Timeout(30)
class IdleWaitTest {
    private final AtomicReference<Thread> servedOn = new AtomicReference<>();
    private final Handler handler = (req, store) -> {
        servedOn.set(Thread.currentThread());
        return Response.text("served " + req.path());
    };

    @Test
    void betweenRequestsTheThreadWaitsInTheConnectionLoopItself() throws Exception {
        try (Server server = TestApp.start(TestApp.config(), handler);
             RawClient client = new RawClient(server.address())) {
            for (String path : List.of("/first", "/second")) {
                client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("served " + path, client.read().body());
                List<String> frames = framesWhenParked(servedOn.get());
                int wait = frames.indexOf("SocketWatcher$Watch.awaitReadable");
                assertTrue(wait > 0, "parked on its socket: " + frames);
                assertEquals("ConnectionLoop.run", frames.get(wait + 1), "the frame under the wait: " + frames);
                assertTrue(frames.stream().noneMatch(f -> f.startsWith("ConnectionLoop.serve")
                        || f.startsWith("ConnectionLoop.nextEvent")), "no request frames left: " + frames);
            }
        }
    }

    /** The thread's frames as Class.method (simple class names), top first, once it has parked. */
    private static List<String> framesWhenParked(Thread thread) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (thread.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() - end < 0, "the connection thread did not park within 10 s");
            Thread.yield();
        }
        return Arrays.stream(thread.getStackTrace())
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                .toList();
    }
}
