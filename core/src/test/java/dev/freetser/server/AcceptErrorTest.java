package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Running out of file descriptors makes accept fail with "Too many open files". The accept loop
 * must back off and keep going, then serve again once descriptors are free.
 */
@Timeout(60)
class AcceptErrorTest {
    @Test
    void acceptLoopSurvivesRunningOutOfFileDescriptors() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The JVM raises its soft limit to the hard one, so lower both.
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -n 256 && exec \"$0\" \"$@\"",
                java, "-cp", System.getProperty("java.class.path"), FdLimitedServer.class.getName());
        Process server = pb.start();
        StringBuffer log = new StringBuffer();
        CompletableFuture<Void> acceptFailed = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> server.errorReader(StandardCharsets.UTF_8).lines().forEach(line -> {
            log.append(line).append('\n');
            if (line.contains("Too many open files")) {
                acceptFailed.complete(null);
            }
        }));
        List<Socket> hogs = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("port "), "child said: " + first + "\n" + log);
            int port = Integer.parseInt(first.substring(5));

            // Serve once first: loading classes from target/classes needs descriptors too.
            try (RawClient c = new RawClient(new InetSocketAddress("127.0.0.1", port))) {
                assertEquals("Hello world!", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
            }
            for (int i = 0; i < 300; i++) { // more than the child has descriptors
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                hogs.add(s);
            }
            acceptFailed.get(20, TimeUnit.SECONDS);
            assertTrue(server.isAlive());

            for (Socket s : hogs) {
                s.close();
            }
            hogs.clear();
            // The closed hogs still queue in the backlog ahead of us and the server sheds them one by
            // one, so descriptors free up gradually: a connection accepted meanwhile may be dropped.
            String body = null;
            for (int attempt = 0; attempt < 20 && body == null; attempt++) {
                try (RawClient c = new RawClient(new InetSocketAddress("127.0.0.1", port), 10_000)) {
                    body = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body();
                } catch (java.io.IOException e) {
                    log.append("attempt ").append(attempt).append(": ").append(e).append('\n');
                }
            }
            assertEquals("Hello world!", body, log.toString());
            server.getOutputStream().close();
            assertTrue(server.waitFor(20, TimeUnit.SECONDS));
        } finally {
            for (Socket s : hogs) {
                s.close();
            }
            server.destroyForcibly();
        }
    }
}
