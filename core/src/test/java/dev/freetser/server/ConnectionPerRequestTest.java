package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Server;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that open a new connection for every request, as many load tools and scanners do: each
 * request is answered completely, and the server still listens afterwards.
 */
@Timeout(60)
class ConnectionPerRequestTest {
    private static final int THREADS = 8;
    private static final long SECONDS = 10;

    @Test
    void eightThreadsOpeningAConnectionPerRequestForTenSecondsAreAllAnswered() throws Exception {
        try (Server server = TestApp.start(TestApp.config());
             ExecutorService clients = Executors.newFixedThreadPool(THREADS)) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int client = t;
                counts.add(clients.submit(() -> {
                    int n = 0;
                    while (System.nanoTime() - end < 0) {
                        String body = "client " + client + " request " + n;
                        String expectedBody = "POST /echo  HTTP/1.1\nbody " + body.length() + ": " + body;
                        String response = exchange(address, "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
                        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
                        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
                        assertTrue(response.contains("\r\nContent-Length: " + expectedBody.length() + "\r\n"), response);
                        assertTrue(response.endsWith("\r\n\r\n" + expectedBody), response);
                        n++;
                    }
                    return n;
                }));
            }
            int total = 0;
            for (Future<Integer> c : counts) {
                total += c.get(SECONDS + 30, TimeUnit.SECONDS);
            }
            assertTrue(total > THREADS * 10, "only " + total + " requests in " + SECONDS + " s");
            String last = exchange(address, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(last.startsWith("HTTP/1.1 200 OK\r\n") && last.endsWith("\r\n\r\nHello world!"), last);
        }
    }

    /** Sends one request and reads until the server closes: the whole response. */
    private static String exchange(InetSocketAddress address, String request) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
