package dev.freetser.demo;

import dev.freetser.Server;
import dev.freetser.ServerConfig;
import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.StorageQueue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's routes served on 127.0.0.1 port 0 over a database in a temporary folder, with a
 * clock the test sets, and an HTTP/1.1 client with timeouts.
 */
final class DemoFixture implements AutoCloseable {
    static final long START = 1_700_000_000L;

    final AtomicLong clock = new AtomicLong(START);
    final StorageQueue store;
    final Server server;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    DemoFixture(Path dir) throws IOException {
        this(dir.resolve("demo.db").toString(), StorageOptions.defaults());
    }

    DemoFixture(String location, StorageOptions options) throws IOException {
        store = StorageQueue.open(location, DemoRoutes.TABLES, options);
        server = Server.start(ServerConfig.tcp("127.0.0.1", 0), new DemoRoutes(clock::get), store);
    }

    /** A response with its body bytes as received. */
    record Reply(int status, HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Reply send(String method, String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.headers(), response.body());
    }

    Reply get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    Reply put(String path, String body, String... headers) throws IOException, InterruptedException {
        return send("PUT", path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Reply delete(String path, String... headers) throws IOException, InterruptedException {
        return send("DELETE", path, null, headers);
    }

    /** Writes raw request bytes on a new connection and returns all the server sends until it closes. */
    String raw(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.write(buffer, 0, n);
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
        store.close();
    }
}
