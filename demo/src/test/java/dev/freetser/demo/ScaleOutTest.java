package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three demo processes on one PostgreSQL database, 48 clients spread over them: no update is lost
 * and no request gets a 5xx, for the KV API's optimistic If-Match increments and for the
 * original's POST /stress-test counters, which the store serializes across the processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ScaleOutTest {
    private static final int INSTANCES = 3;
    private static final int CLIENTS = 48;
    private static final int INCREMENTS_PER_CLIENT = 5;
    private static final int POSTS_PER_CLIENT = 20;
    private static final int MAX_ATTEMPTS = 10_000;

    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    /** Every answer 500 or above, as "status method path: body". */
    private final ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();

    @BeforeAll
    void startInstances(@TempDir Path dir) throws Exception {
        String url = freshSchema();
        for (int i = 0; i < INSTANCES; i++) {
            Path stderr = dir.resolve("instance-" + i + ".err");
            Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    DemoServer.class.getName(), "--port", "0", "--db", url)
                    .redirectError(stderr.toFile())
                    .start();
            processes.add(demo);
            BufferedReader stdout = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> DemoProcessTest.readLine(stdout)).get(60, TimeUnit.SECONDS);
            String prefix = "freetser-demo listening on http://127.0.0.1:";
            assertTrue(line.startsWith(prefix), () -> line + "\n" + read(stderr));
            assertTrue(line.endsWith(", database " + url.substring(0, url.indexOf('?'))), line);
            ports.add(Integer.parseInt(line.substring(prefix.length(), line.indexOf('/', prefix.length()))));
        }
    }

    @AfterAll
    void stopInstances() throws InterruptedException {
        for (Process process : processes) {
            process.toHandle().destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void conditionalIncrementsFromThreeInstancesAllCount() throws Exception {
        try (HttpClient client = client()) {
            assertEquals(201, send(client, 0, "PUT", "/kv/kv/counter", "0", null).statusCode());
        }
        AtomicInteger refused = new AtomicInteger();
        runClients(i -> {
            try (HttpClient client = client()) {
                for (int n = 0; n < INCREMENTS_PER_CLIENT; n++) {
                    refused.addAndGet(increment(client, i % INSTANCES));
                }
            }
        });
        int puts = CLIENTS * INCREMENTS_PER_CLIENT;
        try (HttpClient client = client()) {
            for (int instance = 0; instance < INSTANCES; instance++) {
                HttpResponse<String> last = send(client, instance, "GET", "/kv/kv/counter", null, null);
                assertEquals(Integer.toString(puts), last.body(), "the value read through instance " + instance);
                String etag = last.headers().firstValue("ETag").orElseThrow();
                assertTrue(etag.startsWith("\"" + puts + "-"), etag);
            }
        }
        assertEquals(List.of(), List.copyOf(serverErrors));
        System.out.println("ScaleOutTest: " + puts + " increments over " + INSTANCES + " instances, "
                + refused + " answered 412 and were retried");
    }

    @Test
    void stressTestCountersFromThreeInstancesAllCount() throws Exception {
        AtomicInteger created = new AtomicInteger();
        runClients(i -> {
            try (HttpClient client = client()) {
                for (int n = 0; n < POSTS_PER_CLIENT; n++) {
                    HttpResponse<String> reply = send(client, i % INSTANCES, "POST", "/stress-test/shared", "", null);
                    assertEquals(200, reply.statusCode(), reply.body());
                    if (reply.body().equals("Created: shared\n")) {
                        created.incrementAndGet();
                    } else {
                        assertEquals("Updated: shared\n", reply.body());
                    }
                }
            }
        });
        int posts = CLIENTS * POSTS_PER_CLIENT;
        assertEquals(1, created.get(), "exactly one POST created the entry");
        try (HttpClient client = client()) {
            for (int instance = 0; instance < INSTANCES; instance++) {
                HttpResponse<String> found = send(client, instance, "GET", "/stress-test/shared", null, null);
                assertEquals("Found: shared, counter=" + (posts - 1) + "\n", found.body(), "through instance " + instance);
            }
        }
        assertEquals(List.of(), List.copyOf(serverErrors));
    }

    /** One successful GET then PUT If-Match on instance {@code instance}; returns how many PUTs got 412 first. */
    private int increment(HttpClient client, int instance) throws Exception {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            HttpResponse<String> read = send(client, instance, "GET", "/kv/kv/counter", null, null);
            assertEquals(200, read.statusCode(), read.body());
            String next = Integer.toString(Integer.parseInt(read.body()) + 1);
            HttpResponse<String> write = send(client, instance, "PUT", "/kv/kv/counter", next,
                    read.headers().firstValue("ETag").orElseThrow());
            if (write.statusCode() == 200) {
                return attempt;
            }
            assertEquals(412, write.statusCode(), write.body());
        }
        return fail("no successful increment in " + MAX_ATTEMPTS + " attempts");
    }

    private interface ClientWork {
        void run(int client) throws Exception;
    }

    private static void runClients(ClientWork work) throws Exception {
        List<Future<?>> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                clients.add(pool.submit(() -> {
                    work.run(client);
                    return null;
                }));
            }
        }
        for (Future<?> client : clients) {
            client.get();
        }
    }

    private HttpResponse<String> send(HttpClient client, int instance, String method, String path, String body, String ifMatch)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(instance) + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 500) {
            serverErrors.add(response.statusCode() + " " + method + " " + path + ": " + response.body());
        }
        return response;
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * A schema of its own on the test PostgreSQL (started for the build, see the postgres module's
     * tests), as the URL the instances share; skips the test when there is no server, unless the
     * build requires one.
     */
    private static String freshSchema() throws Exception {
        String base = System.getProperty("freetser.test.postgres.url");
        if (base == null) {
            if ("1".equals(System.getenv("FREETSER_REQUIRE_POSTGRES"))) {
                fail("FREETSER_REQUIRE_POSTGRES=1 but no PostgreSQL was started for the tests (freetser.test.postgres.url)");
            }
            Assumptions.abort("no PostgreSQL server for the tests: see the README's test section");
        }
        String schema = "scale_out_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(base)) {
            admin.createStatement().execute("CREATE SCHEMA " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }
}
