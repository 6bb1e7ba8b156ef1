package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ShutdownTest {
    @Test
    void closeLetsTheInFlightRequestFinishAndEndsIdleConnections() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Server server = TestApp.start(TestApp.config(), (req, store) -> {
            if (req.path().equals("/slow")) {
                inHandler.countDown();
                release.await();
                return Response.text("finished");
            }
            return Response.text("quick");
        });
        try (RawClient busy = new RawClient(server.address()); RawClient idle = new RawClient(server.address())) {
            assertEquals("quick", idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(inHandler.await(5, TimeUnit.SECONDS));

            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            assertTrue(idle.closedByServer(), "idle connection must be closed at once");
            release.countDown();
            RawClient.Reply r = busy.read();
            assertEquals("finished", r.body());
            assertEquals("close", r.header("Connection"));
            assertTrue(busy.closedByServer());
            closing.get(5, TimeUnit.SECONDS);
        }
        server.awaitShutdown(); // returns at once: already closed
        server.close(); // idempotent
        assertThrows(IOException.class, () -> new Socket().connect(
                new InetSocketAddress("127.0.0.1", server.port()), 1000));
    }

    @Test
    void requestStillRunningAfterTheGracePeriodIsCutOff() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Server server = TestApp.start(TestApp.config().withTimeouts(ServerConfig.Timeouts.defaults()
                .withShutdownGrace(java.time.Duration.ofMillis(200))), (req, store) -> {
                    inHandler.countDown();
                    never.await(10, TimeUnit.SECONDS);
                    return Response.text("late");
                });
        try (RawClient c = new RawClient(server.address())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(inHandler.await(5, TimeUnit.SECONDS));
            server.close();
            assertTrue(c.closedByServer());
        } finally {
            never.countDown();
        }
    }

    @Test
    void secondServerOnABusyPortFailsWithAClearMessage() throws Exception {
        try (Server first = TestApp.start(TestApp.config())) {
            BindException e = assertThrows(BindException.class,
                    () -> Server.start(ServerConfig.tcp("127.0.0.1", first.port()), TestApp.HANDLER));
            assertEquals("address already in use: 127.0.0.1:" + first.port(), e.getMessage());
        }
    }

    @Test
    void addressThisMachineDoesNotHaveIsNotCalledInUse() {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a local interface. Binding sends nothing.
        BindException e = assertThrows(BindException.class,
                () -> Server.start(ServerConfig.tcp("192.0.2.1", 0), TestApp.HANDLER));
        assertTrue(e.getMessage().startsWith("cannot bind 192.0.2.1:0: "), e.getMessage());
    }
}
