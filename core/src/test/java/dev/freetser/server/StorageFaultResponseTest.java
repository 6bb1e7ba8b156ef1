package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Handler;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A storage failure that is not the request's fault is answered 503 (507 for a full store) with a
 * line saying what failed, and the connection stays open; the routine's own failure is a 500.
 */
@Timeout(30)
class StorageFaultResponseTest {
    private final Handler handler = (req, store) -> switch (req.path()) {
        case "/full" -> throw new StorageException("disk full (injected)", StorageException.Fault.FULL, 13, null);
        case "/io" -> throw new StorageException("disk I/O error (injected)", StorageException.Fault.IO, 10, null);
        case "/busy" -> throw new StorageException("locked (injected)", StorageException.Fault.BUSY, 5, null);
        case "/own" -> throw new StorageException("the routine's own failure");
        default -> Response.text("fine");
    };

    @Test
    void faultsGetTheirStatusAndALineAndTheConnectionStaysOpen() throws Exception {
        try (Server server = TestApp.start(TestApp.config(), handler);
             RawClient c = new RawClient(server.address())) {
            RawClient.Reply full = c.send("PUT /full HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
            assertEquals("HTTP/1.1 507 Insufficient Storage", full.statusLine());
            assertEquals("storage is full\n", full.body());
            assertFalse(full.raw().contains("Connection: close"), full.raw());
            for (String path : new String[] {"/io", "/busy"}) {
                RawClient.Reply r = c.send("PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
                assertEquals("HTTP/1.1 503 Service Unavailable", r.statusLine());
                assertTrue(r.raw().contains("\r\nRetry-After: 1\r\n"), r.raw());
                assertFalse(r.raw().contains("Connection: close"), r.raw());
            }
            assertEquals("fine", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body(), "the same connection serves on");
            RawClient.Reply own = c.send("GET /own HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals("HTTP/1.1 500 Internal Server Error", own.statusLine());
            assertTrue(own.raw().contains("\r\nConnection: close\r\n"), own.raw());
        }
    }
}
