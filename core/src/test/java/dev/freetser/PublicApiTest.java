package dev.freetser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.storage.Durability;
import dev.freetser.storage.Entry;
import dev.freetser.storage.EntryAlreadyExistsException;
import dev.freetser.storage.Routine;
import dev.freetser.storage.Storage;
import dev.freetser.storage.StorageBusyException;
import dev.freetser.storage.StorageException;
import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.StorageQueue;
import dev.freetser.storage.Store;
import dev.freetser.storage.StorageReadOnlyException;
import dev.freetser.storage.StorageStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Uses every public type of {@code dev.freetser} and {@code dev.freetser.storage} once, as a
 * user would, so that a change to the public API shows up here in review.
 */
@Timeout(30)
class PublicApiTest {
    @Test
    void everyPublicTypeInOneSmallApplication() throws Exception {
        StorageOptions options = StorageOptions.defaults().withDurability(Durability.NORMAL).withGroupCommit(true)
                .withMaxBatchSize(16).withQueueCapacity(100).withReadThreads(1).withPurgeInterval(Duration.ZERO);
        Routine<String> visit = (Storage s) -> {
            Optional<Entry> seen = s.get("VISITS", "home");
            if (seen.isEmpty()) {
                s.add("VISITS", "home", new byte[] {1}, 0);
                return "first";
            }
            s.update("VISITS", "home", new byte[] {1}, seen.get().counter(), 0);
            return "again";
        };
        Handler handler = (Request req, Store store) -> switch (req.path()) {
            case "/visit" -> Response.text(store.execute(visit));
            case "/stream" -> Response.stream("text/plain", (BodyWriter) out -> out.write("streamed".getBytes(StandardCharsets.UTF_8)));
            case "/teapot" -> throw new HttpException(418, "short and stout");
            default -> Response.empty(404).withHeader("X-Path", req.path());
        };
        ServerConfig config = ServerConfig.tcp("127.0.0.1", 0)
                .withLimits(ServerConfig.Limits.defaults().withMaxBodyBytes(1024))
                .withTimeouts(ServerConfig.Timeouts.defaults().withIdle(Duration.ofSeconds(5)))
                .withTcp(ServerConfig.TcpOptions.defaults())
                .withBacklog(64)
                .withLogRequests(false);

        try (StorageQueue store = StorageQueue.open(StorageQueue.MEMORY, List.of("VISITS"), options);
             Server server = Server.start(config, handler, store);
             HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port();
            assertEquals("first", get(client, base + "/visit").body());
            assertEquals("again", get(client, base + "/visit").body());
            assertEquals("streamed", get(client, base + "/stream").body());
            HttpResponse<String> teapot = get(client, base + "/teapot");
            assertEquals(418, teapot.statusCode());
            assertEquals("short and stout\n", teapot.body());
            assertEquals("/other", get(client, base + "/other").headers().firstValue("x-path").orElseThrow());

            Headers headers = Headers.of(List.of(new Header("A", "1")));
            assertEquals("1", headers.get("a"));
            StorageStats stats = store.stats();
            assertEquals(2, stats.routines());
            assertThrows(EntryAlreadyExistsException.class,
                    () -> store.execute(s -> { s.add("VISITS", "home", new byte[0], 0); return null; }));
            assertThrows(StorageReadOnlyException.class, () -> store.read(s -> s.delete("VISITS", "home")));
            assertTrue(StorageException.class.isAssignableFrom(StorageBusyException.class));
            StorageException.Fault fault = new StorageBusyException("queue full").fault();
            assertEquals("storage is busy", fault.summary());
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
