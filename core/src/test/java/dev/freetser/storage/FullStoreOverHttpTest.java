package dev.freetser.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Handler;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that fills up, seen by a real client: writes get 507 with one line, reads go on over
 * the same connection, and writes succeed again once there is room, without a restart.
 */
@Timeout(60)
class FullStoreOverHttpTest {
    @TempDir
    Path dir;

    @Test
    void aFullStoreAnswers507ThenRecoversOnceThereIsRoom() throws Exception {
        Handler handler = (req, store) -> {
            String key = req.path().substring(1);
            if (req.method().equals("PUT")) {
                store.execute(s -> {
                    s.add("t", key, req.body(), 0);
                    return null;
                });
                return Response.text("stored " + key, 201);
            }
            return Response.text(store.read(s -> s.get("t", key)).map(e -> new String(e.value())).orElse("none"));
        };
        try (StorageQueue store = StorageQueue.open(dir.resolve("db.sqlite"), List.of("t"));
             Server server = Server.start(ServerConfig.tcp("127.0.0.1", 0), handler, store);
             HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String base = "http://127.0.0.1:" + server.port() + "/";
            assertEquals(201, put(client, base + "first", "hello").statusCode());
            int pages = store.execute(Stores::pageCount);
            store.execute(s -> Stores.sql(s, "PRAGMA max_page_count = " + (pages + 2)));

            HttpResponse<String> full = null;
            for (int i = 0; i < 50 && (full == null || full.statusCode() == 201); i++) {
                full = put(client, base + "big" + i, "x".repeat(20_000));
            }
            assertEquals(507, full.statusCode(), full.body());
            assertEquals("storage is full\n", full.body());
            assertEquals("hello", get(client, base + "first").body(), "reads go on while writes fail");

            store.execute(s -> Stores.sql(s, "PRAGMA max_page_count = 1073741823"));
            HttpResponse<String> again = put(client, base + "after", "room again");
            assertEquals(201, again.statusCode(), again.body());
            assertEquals("room again", get(client, base + "after").body());
            assertTrue(full.headers().firstValue("Connection").isEmpty(), "the connection was kept");
        }
    }

    private static HttpResponse<String> put(HttpClient client, String url, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
