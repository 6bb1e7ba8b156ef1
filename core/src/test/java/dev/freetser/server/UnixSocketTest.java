package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Server;
import dev.freetser.ServerConfig;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class UnixSocketTest {
    @TempDir
    Path dir;

    @Test
    void roundTripOverAUnixSocketAndTheFileIsRemovedOnClose() throws Exception {
        Path path = dir.resolve("s.sock");
        try (Server server = TestApp.start(ServerConfig.unix(path))) {
            assertEquals(-1, server.port());
            try (RawClient c = new RawClient(server.address())) {
                RawClient.Reply r = c.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nhi").read();
                assertEquals("POST /echo  HTTP/1.1\nbody 2: hi", r.body());
                assertEquals("Hello world!", c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").read().body());
            }
            assertTrue(Files.exists(path));
        }
        assertFalse(Files.exists(path));
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path path = dir.resolve("stale.sock");
        ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        crashed.bind(UnixDomainSocketAddress.of(path));
        crashed.close(); // the file stays behind, as after a crash
        assertTrue(Files.exists(path));
        try (Server server = TestApp.start(ServerConfig.unix(path)); RawClient c = new RawClient(server.address())) {
            assertEquals(200, c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
        }
    }

    @Test
    void socketInUseIsNotStolen() throws Exception {
        Path path = dir.resolve("busy.sock");
        try (Server first = TestApp.start(ServerConfig.unix(path))) {
            BindException e = assertThrows(BindException.class, () -> Server.start(ServerConfig.unix(path), TestApp.HANDLER));
            assertTrue(e.getMessage().contains("address already in use"), e.getMessage());
            try (RawClient c = new RawClient(first.address())) {
                assertEquals(200, c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
            }
        }
    }
}
