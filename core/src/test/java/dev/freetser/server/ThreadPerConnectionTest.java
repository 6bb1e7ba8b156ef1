package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.freetser.Handler;
import dev.freetser.Response;
import dev.freetser.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each connection has a thread of its own, new and never reused: its thread-locals are its own. */
@Timeout(30)
class ThreadPerConnectionTest {
    private static final ThreadLocal<String> USER = new ThreadLocal<>();

    /** Answers what the thread-local held, then sets it to this request's query. */
    private final Handler handler = (req, store) -> {
        String before = USER.get();
        USER.set(req.query());
        Thread t = Thread.currentThread();
        return Response.text(before + " " + t.getName() + " " + t.isVirtual());
    };

    @Test
    void aThreadLocalSetOnOneConnectionIsNotSeenOnTheNext() throws Exception {
        try (Server server = TestApp.start(TestApp.config(), handler)) {
            String[] first;
            try (RawClient c = new RawClient(server.address())) {
                first = c.send("GET /?alice HTTP/1.1\r\nHost: x\r\n\r\n").read().body().split(" ");
                assertEquals("null", first[0]);
                assertEquals("true", first[2], "a virtual thread");
                String[] again = c.send("GET /?bob HTTP/1.1\r\nHost: x\r\n\r\n").read().body().split(" ");
                assertEquals("alice", again[0], "the same connection keeps its thread");
                assertEquals(first[1], again[1]);
            }
            for (int i = 0; i < 20; i++) {
                try (RawClient c = new RawClient(server.address())) {
                    String[] next = c.send("GET /?carol HTTP/1.1\r\nHost: x\r\n\r\n").read().body().split(" ");
                    assertEquals("null", next[0], "connection " + i + " saw another connection's thread-local");
                    assertNotEquals(first[1], next[1]);
                }
            }
        }
    }
}
