package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Handler;
import dev.freetser.Response;
import dev.freetser.ServerConfig;
import dev.freetser.Server;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bytes that reach a connection while its handler runs: a request sent before the previous
 * answer is answered after it, and a client that hangs up during a slow handler frees its
 * connection slot once the handler returns.
 */
@Timeout(30)
class BusyConnectionTest {
    private final Semaphore entered = new Semaphore(0);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Handler handler = (req, store) -> {
        if (req.path().equals("/hold")) {
            entered.release();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Response.text("done " + req.path());
    };

    @Test
    void aRequestSentWhileTheHandlerRunsIsAnsweredAfterIt() throws Exception {
        try (Server server = TestApp.start(TestApp.config(), handler);
             RawClient client = new RawClient(server.address())) {
            client.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(entered.tryAcquire(10, TimeUnit.SECONDS));
            client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            release.countDown();
            assertEquals("done /hold", client.read().body());
            assertEquals("done /next", client.read().body());
            client.send("GET /last HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("done /last", client.read().body());
        }
    }

    @Test
    void aClientThatHangsUpDuringTheHandlerFreesItsSlot() throws Exception {
        ServerConfig one = TestApp.config().withLimits(ServerConfig.Limits.defaults().withMaxConnections(1));
        try (Server server = TestApp.start(one, handler)) {
            try (RawClient gone = new RawClient(server.address())) {
                gone.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(entered.tryAcquire(10, TimeUnit.SECONDS));
            }
            release.countDown();
            // Accepted only once the first connection has ended.
            try (RawClient next = new RawClient(server.address())) {
                next.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("done /after", next.read().body());
            }
        }
    }
}
