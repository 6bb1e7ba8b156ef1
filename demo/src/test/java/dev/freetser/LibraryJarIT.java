package dev.freetser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The two jars {@code package} builds: the library without the demo, and the runnable demo jar. */
@Timeout(90)
class LibraryJarIT {
    private static final Path LIBRARY = Path.of(System.getProperty("library.jar"));
    private static final Path DEMO = Path.of(System.getProperty("demo.jar"));

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).toList();
        }
    }

    @Test
    void libraryJarHasTheApiAndNotTheDemo() throws IOException {
        List<String> entries = entries(LIBRARY);
        assertTrue(entries.contains("dev/freetser/Server.class"), LIBRARY.toString());
        assertTrue(entries.contains("dev/freetser/storage/StorageQueue.class"), LIBRARY.toString());
        assertEquals(List.of(), entries.stream().filter(e -> e.startsWith("dev/freetser/demo/")).toList());
        // The module as another project's module path sees it: no demo package behind its back.
        ModuleDescriptor module = ModuleFinder.of(LIBRARY).find("dev.freetser").orElseThrow().descriptor();
        assertFalse(module.packages().contains("dev.freetser.demo"), module.packages().toString());
        assertEquals(List.of("dev.freetser", "dev.freetser.storage", "dev.freetser.storage.spi"),
                module.exports().stream().map(ModuleDescriptor.Exports::source).sorted().toList());
        // The engine interface is for the PostgreSQL module only, not for applications.
        assertEquals(List.of("dev.freetser.postgres"), module.exports().stream()
                .filter(e -> e.source().equals("dev.freetser.storage.spi")).flatMap(e -> e.targets().stream()).toList());
    }

    @Test
    void demoJarRunsWithJavaDashJar(@TempDir Path dir) throws Exception {
        assertTrue(entries(DEMO).contains("dev/freetser/demo/DemoServer.class"), DEMO.toString());
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", DEMO.toString(), "--port", "0", "--db", ":memory:")
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(30, TimeUnit.SECONDS);
            String prefix = "freetser-demo listening on http://127.0.0.1:";
            assertTrue(line.startsWith(prefix), line);
            int port = Integer.parseInt(line.substring(prefix.length(), line.indexOf('/', prefix.length())));
            // A write and a read: the shaded jar carries SQLite's native library and Jackson, not only classes.
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                URI key = URI.create("http://127.0.0.1:" + port + "/kv/kv/jar");
                HttpRequest put = HttpRequest.newBuilder(key).timeout(Duration.ofSeconds(10))
                        .PUT(HttpRequest.BodyPublishers.ofString("shaded")).build();
                assertEquals(201, client.send(put, HttpResponse.BodyHandlers.discarding()).statusCode());
                HttpRequest get = HttpRequest.newBuilder(key).timeout(Duration.ofSeconds(10)).build();
                assertEquals("shaded", client.send(get, HttpResponse.BodyHandlers.ofString()).body());
            }
        } finally {
            demo.destroy();
            assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "demo still running 30 s after SIGTERM");
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            String line = reader.readLine();
            return line == null ? "(end of output)" : line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
