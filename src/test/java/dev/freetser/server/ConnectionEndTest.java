package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Polling;
import dev.freetser.Server;
import dev.freetser.http.SpareBuffersAccess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a connection leaves behind when it ends. Most connections end in a read that took a
 * receive buffer: the one that sees end-of-stream, or the one a reset fails. Each case here
 * begins with no spare buffers and the connection between requests, holding none; the read that
 * sees the end takes a new array, which must then be given back.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS) // past Polling's 10 s, so a failure names what it waited for
class ConnectionEndTest {
    @Test
    void aConnectionGivesItsBuffersBackWhenItEndsByEndOfStreamOrByReset() throws Exception {
        List<ByteBuffer> held = new ArrayList<>();
        try (Server server = TestApp.start(TestApp.config())) {
            try (RawClient c = betweenRequests(server, held)) {
                c.shutdownOutput();
                assertTrue(c.closedByServer(), "the server closed its side once it saw ours");
            }
            assertEquals(1, SpareBuffersAccess.spare(), "after end-of-stream");

            try (RawClient c = betweenRequests(server, held)) {
                c.reset();
            }
            Polling.until(() -> SpareBuffersAccess.spare() == 1, "the buffer of the read that saw the reset given back");
        } finally {
            SpareBuffersAccess.giveBack(held);
        }
    }

    /**
     * A client whose one request has been answered, once the server's thread has given back its
     * buffer (one array serves the request and the response); no buffers are spare then.
     */
    private static RawClient betweenRequests(Server server, List<ByteBuffer> held) throws IOException {
        SpareBuffersAccess.takeAll(held);
        RawClient c = new RawClient(server.address());
        assertEquals(200, c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
        Polling.until(() -> SpareBuffersAccess.spare() == 1, "the response's buffer given back");
        SpareBuffersAccess.takeAll(held);
        return c;
    }
}
