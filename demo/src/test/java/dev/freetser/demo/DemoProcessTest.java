package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.storage.StorageQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo as a real process: started like the README starts it, stopped with SIGTERM. */
class DemoProcessTest {
    /** What the JVM exits with after running its shutdown hooks for SIGTERM: 128 + 15. */
    private static final int SIGTERM_EXIT = 143;

    @Test
    @Timeout(90)
    void sigtermClosesServerAndDatabaseCleanly(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("demo.db");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DemoServer.class.getName(), "--port", "0", "--db", db.toString())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(30, TimeUnit.SECONDS);
            String prefix = "freetser-demo listening on http://127.0.0.1:";
            assertTrue(line.startsWith(prefix), line);
            assertTrue(line.endsWith("/, database " + db.toAbsolutePath()), line);
            int port = Integer.parseInt(line.substring(prefix.length(), line.indexOf('/', prefix.length())));

            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kv/kv/kept"))
                        .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofString("durable")).build();
                assertEquals(201, client.send(put, HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            assertTrue(Files.exists(dir.resolve("demo.db-wal")), "a WAL file while the demo runs");

            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout.
            assertTrue(demo.toHandle().destroy(), "SIGTERM sent");
            assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "demo still running 30 s after SIGTERM");
            assertEquals(SIGTERM_EXIT, demo.exitValue(), Files.readString(dir.resolve("stderr.txt")));
            assertEquals("freetser-demo stopped, database closed", stdout.readLine());
            assertEquals(null, stdout.readLine());
        } finally {
            demo.destroyForcibly();
        }
        assertFalse(Files.exists(dir.resolve("demo.db-wal")), "the WAL was checkpointed and removed on close");
        // Purging is on by default: only then does the demo create each table's index of expiring rows.
        List<String> indexes = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")) {
            while (rows.next()) {
                indexes.add(rows.getString(1));
            }
        }
        assertEquals(List.of("items-expiring", "kv-expiring"), indexes);
        try (StorageQueue store = StorageQueue.open(db, List.of("kv"))) {
            assertEquals("durable", new String(store.execute(s -> s.get("kv", "kept")).orElseThrow().value(), StandardCharsets.UTF_8));
        }
    }

    /** The next line, or "(end of output)": for a wait bounded by a future. */
    static String readLine(BufferedReader reader) {
        try {
            String line = reader.readLine();
            return line == null ? "(end of output)" : line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
