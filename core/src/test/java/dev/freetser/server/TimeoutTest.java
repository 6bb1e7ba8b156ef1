package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each deadline, configured short: a slow or stalled client loses its connection, not a thread. */
@Timeout(20)
class TimeoutTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    private static ServerConfig config() {
        return TestApp.config().withTimeouts(new ServerConfig.Timeouts(SHORT, SHORT, SHORT, SHORT, Duration.ofSeconds(2)));
    }

    @Test
    void incompleteHeadGets408ThenClose() throws Exception {
        try (Server server = TestApp.start(config()); RawClient c = new RawClient(server.address())) {
            RawClient.Reply r = c.send("GET / HTTP/1.1\r\nHost: x\r\n").read();
            assertEquals(408, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void tricklingHeadIsCutOffAtTheHeadDeadline() throws Exception {
        try (Server server = TestApp.start(config()); RawClient c = new RawClient(server.address())) {
            // A slowloris client: one byte every 50 ms never finishes a head within 300 ms.
            String head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(200) + "\r\n\r\n";
            try {
                for (char ch : head.toCharArray()) {
                    c.send(String.valueOf(ch));
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                // the server closed the connection while we were still sending: also a pass
                return;
            }
            assertEquals(408, c.read().status());
        }
    }

    @Test
    void incompleteBodyGets408() throws Exception {
        try (Server server = TestApp.start(config()); RawClient c = new RawClient(server.address())) {
            RawClient.Reply r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc").read();
            assertEquals(408, r.status());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void idleConnectionIsClosedSilently() throws Exception {
        try (Server server = TestApp.start(config()); RawClient c = new RawClient(server.address())) {
            assertEquals("Hello world!", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
            assertEquals("", c.readToEnd());
        }
    }

    @Test
    void clientThatStopsReadingIsCutOffAtTheWriteDeadline() throws Exception {
        CompletableFuture<Throwable> writerFailure = new CompletableFuture<>();
        try (Server server = TestApp.start(config(), (req, store) -> Response.stream("text/plain", out -> {
            byte[] block = new byte[64 * 1024];
            try {
                for (int i = 0; i < 16 * 1024; i++) { // at most 1 GiB, far more than socket buffers hold
                    out.write(block);
                }
                writerFailure.complete(null);
            } catch (IOException e) {
                writerFailure.complete(e);
                throw e;
            }
        })); RawClient c = new RawClient(server.address())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"); // and never read
            assertInstanceOf(IOException.class, writerFailure.get(10, TimeUnit.SECONDS));
            try (RawClient other = new RawClient(server.address())) {
                assertEquals(200, other.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").readHead().status());
            }
        }
    }

    @Test
    void slowStreamIsKeptWhileEachChunkIsWrittenInTime() throws Exception {
        // A slow producer (not synchronisation): six chunks 120 ms apart, 600 ms in all, twice the
        // 300 ms write timeout, which applies to each write, not to the whole response.
        try (Server server = TestApp.start(config(), (req, store) -> Response.stream("text/plain", out -> {
            for (int i = 0; i < 6; i++) {
                if (i > 0) {
                    try {
                        Thread.sleep(120);
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                out.write(("chunk" + i + ";").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
            }
        })); RawClient c = new RawClient(server.address())) {
            RawClient.Reply r = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals("chunk0;chunk1;chunk2;chunk3;chunk4;chunk5;", r.body());
        }
    }
}
