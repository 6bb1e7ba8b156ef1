package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.freetser.Server;
import dev.freetser.ServerConfig;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ConnectionLimitTest {
    @Test
    void pastTheCapNewClientsWaitUntilAConnectionCloses() throws Exception {
        ServerConfig config = TestApp.config().withLimits(ServerConfig.Limits.defaults().withMaxConnections(2));
        try (Server server = TestApp.start(config);
             RawClient a = new RawClient(server.address());
             RawClient b = new RawClient(server.address())) {
            assertEquals(200, a.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals(200, b.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            try (RawClient c = new RawClient(server.address(), 500)) {
                // Connected in the kernel's backlog, but not accepted: no answer yet.
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThrows(SocketTimeoutException.class, c::read);
            }
            a.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            try (RawClient d = new RawClient(server.address())) {
                assertEquals(200, d.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
        }
    }
}
