package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freetser.Server;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many kept-alive connections at once, each served by its own thread:
 * every request is answered, in order, on its own connection, whether it arrives before or after
 * the thread reads.
 */
@Timeout(30)
class ManyConnectionsTest {
    private static final int CONNECTIONS = 2 * Runtime.getRuntime().availableProcessors() + 8;

    @Test
    void everyKeptAliveConnectionGetsItsOwnAnswersInOrder() throws Exception {
        try (Server server = TestApp.start(TestApp.config())) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    clients.add(new RawClient(server.address()));
                }
                for (int round = 0; round < 5; round++) {
                    // All requests are in flight before any answer is read.
                    for (int i = 0; i < CONNECTIONS; i++) {
                        clients.get(i).send(post(i, round));
                    }
                    for (int i = 0; i < CONNECTIONS; i++) {
                        RawClient.Reply reply = clients.get(i).read();
                        assertEquals("HTTP/1.1 200 OK", reply.statusLine());
                        assertEquals(expected(i, round), reply.body());
                    }
                }
                // Two requests in one write: the second is already buffered when the first is answered.
                RawClient first = clients.get(0);
                first.send(post(0, 5) + post(0, 6));
                assertEquals(expected(0, 5), first.read().body());
                assertEquals(expected(0, 6), first.read().body());
            } finally {
                for (RawClient c : clients) {
                    c.close();
                }
            }
        }
    }

    private static String post(int client, int round) {
        String body = "client " + client + " round " + round;
        return "POST /echo?c=" + client + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String expected(int client, int round) {
        String body = "client " + client + " round " + round;
        return "POST /echo c=" + client + " HTTP/1.1\nbody " + body.length() + ": " + body;
    }
}
