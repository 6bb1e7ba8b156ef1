package dev.freetser.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Handler;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import dev.freetser.storage.StorageQueue;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every example started as its main starts it, on port 0 and a temporary database, over real HTTP. */
@Timeout(60)
class ExamplesTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        client.close();
    }

    private StorageQueue store(List<String> tables) {
        StorageQueue store = StorageQueue.open(dir.resolve("app.db"), tables);
        open.add(store);
        return store;
    }

    private void serve(Handler handler, StorageQueue store) throws IOException {
        Server server = Server.start(ServerConfig.tcp("127.0.0.1", 0), handler, store);
        open.add(server);
        port = server.port();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void assertResponse(int status, String body, HttpResponse<String> response) {
        assertEquals(status, response.statusCode());
        assertEquals(body, response.body());
    }

    /**
     * Runs an example's main in its own JVM, in the test's folder (where its app.db goes), with
     * {@code PORT} set to {@code portVariable} (or unset when null); returns the port it listens on.
     */
    private int startMain(Class<?> example, List<String> args, String portVariable) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), example.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().remove("PORT");
        if (portVariable != null) {
            builder.environment().put("PORT", portVariable);
        }
        Process process = builder.start();
        open.add(() -> {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        });
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> listeningPort(output)).get(30, TimeUnit.SECONDS);
    }

    /** The port in the server's "listening on" log line; fails with everything printed if it never comes. */
    private static int listeningPort(BufferedReader output) {
        Pattern listening = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+)");
        StringBuilder printed = new StringBuilder();
        try {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                Matcher m = listening.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
                printed.append(line).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the example exited without listening:\n" + printed);
    }

    @Test
    void mainTakesThePortFromItsFirstArgumentBeforeThePortVariable() throws Exception {
        // Port 0 picks a free port; had main read PORT (8000) instead, it would listen on 8000.
        port = startMain(HelloWorld.class, List.of("0"), "8000");
        assertNotEquals(8000, port);
        assertResponse(200, "Hello world!", send("GET", "/", null));
    }

    @Test
    void mainTakesThePortFromThePortVariableWithoutAnArgument() throws Exception {
        port = startMain(GetOrCreate.class, List.of(), "0");
        assertNotEquals(8000, port);
        assertResponse(200, "Created: my_user_email\n", send("GET", "/", null));
    }

    @Test
    void helloWorld() throws Exception {
        serve(HelloWorld.handler(), null);
        assertResponse(200, "Hello world!", send("GET", "/", null));
        assertResponse(404, "Not found!", send("GET", "/elsewhere", null));
    }

    @Test
    void getOrCreate() throws Exception {
        serve(GetOrCreate.handler(), store(GetOrCreate.TABLES));
        assertResponse(200, "Created: my_user_email\n", send("GET", "/", null));
        assertResponse(200, "Found: my_user_email, counter=0\n", send("GET", "/", null));
    }

    @Test
    void optimisticUpdateCounts() throws Exception {
        serve(OptimisticUpdate.handler(n -> n + 1), store(OptimisticUpdate.TABLES));
        assertResponse(200, "/visits = 1\n", send("POST", "/visits", ""));
        assertResponse(200, "/visits = 2\n", send("POST", "/visits", ""));
        HttpResponse<String> get = send("GET", "/visits", null);
        assertResponse(405, "Use POST to increment\n", get);
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void optimisticUpdateAnswers409WhenAnotherWriteCameBetween() throws Exception {
        StorageQueue store = store(OptimisticUpdate.TABLES);
        AtomicBoolean interfere = new AtomicBoolean(false);
        serve(OptimisticUpdate.handler(n -> {
            if (interfere.getAndSet(false)) {
                byte[] other = "100".getBytes(StandardCharsets.UTF_8);
                store.execute(s -> s.update("COUNTERS", "/c", other, s.get("COUNTERS", "/c").orElseThrow().counter(), 0));
            }
            return n + 1;
        }), store);
        assertResponse(200, "/c = 1\n", send("POST", "/c", ""));
        interfere.set(true);
        assertResponse(409, "Conflict: /c changed meanwhile, retry\n", send("POST", "/c", ""));
        assertResponse(200, "/c = 101\n", send("POST", "/c", ""));
    }

    @Test
    void twoServersShareOneStore() throws Exception {
        Path socket = dir.resolve("admin.sock");
        TwoServers.Servers servers = TwoServers.start(ServerConfig.tcp("127.0.0.1", 0), ServerConfig.unix(socket),
                store(TwoServers.TABLES));
        open.add(servers);
        port = servers.site().port();
        assertResponse(200, "Hello, visitor 1\n", send("GET", "/", null));
        assertResponse(200, "Hello, visitor 2\n", send("GET", "/about", null));
        assertTrue(unix(socket, "GET /views").endsWith("\r\n\r\nviews=2\n"));
        assertTrue(unix(socket, "POST /reset").endsWith("\r\n\r\nreset\n"));
        assertResponse(200, "Hello, visitor 1\n", send("GET", "/", null));
        assertTrue(unix(socket, "GET /nothing").startsWith("HTTP/1.1 404 "));
    }

    /** One request on a new Unix socket connection; everything the server sends until it closes. */
    private static String unix(Path socket, String requestLine) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            String request = requestLine + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (channel.read(buffer.clear()) > 0) {
                received.write(buffer.array(), 0, buffer.position());
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void routing() throws Exception {
        serve(Routing.handler(), null);
        assertResponse(200, "Home\n", send("GET", "/", null));
        assertResponse(200, "{\"status\":\"ok\"}", send("GET", "/health", null));
        assertResponse(200, "{\"query\":\"a b\"}", send("GET", "/search?q=a%20b", null));
        assertResponse(400, "missing query parameter q\n", send("GET", "/search", null));
        assertResponse(200, "say it back", send("POST", "/echo", "say it back"));
        assertResponse(200, "{\"id\":\"7\",\"name\":\"User 7\"}", send("GET", "/users/7", null));
        assertResponse(204, "", send("DELETE", "/users/7", null));
        HttpResponse<String> patch = send("PATCH", "/users/7", "x");
        assertResponse(405, "Method not allowed\n", patch);
        assertEquals("GET, DELETE", patch.headers().firstValue("Allow").orElseThrow());
        assertResponse(404, "Not found\n", send("GET", "/nowhere", null));
    }

    @Test
    void errorHandlingGivesEachErrorItsStatus() throws Exception {
        StorageQueue store = store(ErrorHandling.TABLES);
        serve(ErrorHandling.handler(), store);
        assertResponse(201, "Registered ann\n", send("POST", "/users/ann", "profile"));
        assertResponse(409, "That name is taken\n", send("POST", "/users/ann", "again"));
        assertResponse(400, "name must be 1 to 32 ASCII letters or digits\n", send("POST", "/users/a.b", ""));
        assertResponse(404, "Not found\n", send("GET", "/users/ann", null));
        store.close();
        assertResponse(500, "Storage failed, try again later\n", send("POST", "/users/bob", ""));
    }
}
