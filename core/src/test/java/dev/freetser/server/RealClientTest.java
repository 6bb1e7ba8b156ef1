package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freetser.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server against real clients: the JDK's HttpClient and curl. */
@Timeout(60)
class RealClientTest {
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() {
        server = TestApp.start(TestApp.config());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpClientReusesOneKeptAliveConnection() throws Exception {
        try (HttpClient client = client()) {
            Set<String> ports = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = get(client, "/port");
                assertEquals(200, r.statusCode());
                ports.add(r.body());
            }
            assertEquals(1, ports.size(), "all requests should arrive on one connection: " + ports);
        }
    }

    @Test
    void httpClientPostsABody() throws Exception {
        try (HttpClient client = client()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/echo?a=1"))
                    .POST(HttpRequest.BodyPublishers.ofString("héllo")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("POST /echo a=1 HTTP/1.1\nbody 6: héllo", r.body());
            assertEquals("text/plain; charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
        }
    }

    @Test
    void fiftyConcurrentClientsAllGetTheirAnswers() throws Exception {
        List<Future<Integer>> results = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 50; c++) {
                int id = c;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    try (HttpClient client = client()) {
                        for (int i = 0; i < 20; i++) {
                            HttpResponse<String> r = get(client, "/echo?c=" + id + "&i=" + i);
                            if (r.statusCode() == 200 && r.body().startsWith("GET /echo c=" + id + "&i=" + i + " ")) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(50, TimeUnit.SECONDS);
            }
            assertEquals(50 * 20, total);
        }
    }

    @Test
    void curlGetsCorrectResponses() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        String out = run("/usr/bin/curl", "-sS", "-i", "--max-time", "10", base + "/", base + "/echo?x=1",
                "-d", "posted");
        assertTrue(out.contains("HTTP/1.1 200 OK\r\n"), out);
        assertTrue(out.contains("Hello world!"), out);
        assertTrue(out.contains("POST /echo x=1 HTTP/1.1\nbody 6: posted"), out);
        String head = run("/usr/bin/curl", "-sS", "-I", "--max-time", "10", base + "/");
        assertTrue(head.contains("Content-Length: 12\r\n"), head);
        String http10 = run("/usr/bin/curl", "-sS", "--http1.0", "--max-time", "10", base + "/echo");
        assertEquals("GET /echo  HTTP/1.0\nbody 0: ", http10);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "curl did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
