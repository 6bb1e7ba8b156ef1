package dev.freetser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Polling;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SpareBuffersTest {
    @Test
    void theLastBufferGivenIsTakenFirstWithItsView() {
        ByteBuffer view = SpareBuffers.take();
        assertEquals(SpareBuffers.SIZE, view.capacity());
        SpareBuffers.give(view.array(), view);
        assertSame(view, SpareBuffers.take());
        byte[] bare = new byte[SpareBuffers.SIZE];
        SpareBuffers.give(bare, null);
        assertSame(bare, SpareBuffers.take().array(), "an array given without its view is wrapped");
    }

    @Test
    void keepsOnlySpareSizedArraysAndAtMostSixtyFour() {
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            taken.add(SpareBuffers.take());
        }
        assertEquals(0, SpareBuffers.spare(), "taking 100 emptied the spares");
        SpareBuffers.give(new byte[2 * SpareBuffers.SIZE], null);
        SpareBuffers.give(new byte[SpareBuffers.SIZE / 2], null);
        assertEquals(0, SpareBuffers.spare(), "other sizes are left to the collector");
        for (ByteBuffer b : taken) {
            SpareBuffers.give(b.array(), b);
        }
        assertEquals(64, SpareBuffers.spare());
    }

    /**
     * Most connections end in a read that took a buffer: of end-of-stream, or of a reset. Each
     * case begins with no spares and the connection between requests, holding none; the read
     * that sees the end takes a new array, which must then be given back.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // past Polling's 10 s, so a failure names what it waited for
    void aConnectionGivesItsBuffersBackWhenItEndsByEndOfStreamOrByReset() throws Exception {
        List<ByteBuffer> held = new ArrayList<>();
        try (Server server = Server.start(ServerConfig.tcp("127.0.0.1", 0), (request, store) -> Response.text("hi"))) {
            try (Socket s = exchange(server, held)) {
                s.shutdownOutput();
                assertEquals(-1, s.getInputStream().read(), "the server closed its side once it saw ours");
            }
            assertEquals(1, SpareBuffers.spare(), "after end-of-stream");

            Socket reset = exchange(server, held);
            reset.setSoLinger(true, 0);
            reset.close();
            Polling.until(() -> SpareBuffers.spare() == 1, "the buffer of the read that saw the reset given back");
        } finally {
            for (ByteBuffer b : held) {
                SpareBuffers.give(b.array(), b);
            }
        }
    }

    /**
     * A connection that has sent one request and read its whole response, once its thread has
     * given back its buffer (one array serves the request and the response); then no spares.
     */
    private static Socket exchange(Server server, List<ByteBuffer> held) throws IOException {
        while (SpareBuffers.spare() > 0) {
            held.add(SpareBuffers.take());
        }
        Socket s = new Socket("127.0.0.1", server.port());
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        String expected = "HTTP/1.1 200 OK\r\n";
        assertEquals(expected, new String(in.readNBytes(expected.length()), StandardCharsets.US_ASCII));
        int matched = 0; // the rest of the head
        while (matched < 4) {
            int b = in.read();
            assertTrue(b >= 0, "the response ended inside its head");
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        assertEquals("hi", new String(in.readNBytes(2), StandardCharsets.US_ASCII));
        Polling.until(() -> SpareBuffers.spare() == 1, "the response's buffer given back");
        held.add(SpareBuffers.take());
        return s;
    }
}
