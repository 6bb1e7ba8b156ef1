package dev.freetser.examples;

import dev.freetser.ConsoleLogging;
import dev.freetser.Handler;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import dev.freetser.storage.Entry;
import dev.freetser.storage.Storage;
import dev.freetser.storage.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Two servers sharing one store: a public site on TCP counts its page views, and an internal
 * admin server on a Unix domain socket (reachable only on this machine, guarded by file
 * permissions) reads and resets the count. Try {@code curl http://127.0.0.1:8000/} and
 * {@code curl --unix-socket /tmp/freetser.sock http://localhost/views}.
 */
public final class TwoServers {
    static final List<String> TABLES = List.of("STATS");

    private TwoServers() {
    }

    /** Both servers; closing them leaves the store open. */
    record Servers(Server site, Server admin) implements AutoCloseable {
        @Override
        public void close() {
            site.close();
            admin.close();
        }
    }

    static Servers start(ServerConfig site, ServerConfig admin, Store store) throws IOException {
        Server siteServer = Server.start(site, site(), store);
        try {
            return new Servers(siteServer, Server.start(admin, admin(), store));
        } catch (IOException e) {
            siteServer.close();
            throw e;
        }
    }

    static Handler site() {
        return (req, store) -> Response.text("Hello, visitor " + store.execute(TwoServers::countView) + "\n");
    }

    private static long countView(Storage s) {
        Optional<Entry> views = s.get("STATS", "views");
        long n = views.map(TwoServers::number).orElse(0L) + 1;
        byte[] value = Long.toString(n).getBytes(StandardCharsets.UTF_8);
        if (views.isPresent()) {
            s.update("STATS", "views", value, views.get().counter(), 0);
        } else {
            s.add("STATS", "views", value, 0);
        }
        return n;
    }

    static Handler admin() {
        return (req, store) -> switch (req.method() + " " + req.path()) {
            case "GET /views" -> Response.text("views=" + store.execute(s -> s.get("STATS", "views")).map(TwoServers::number).orElse(0L) + "\n");
            case "POST /reset" -> {
                store.execute(s -> s.delete("STATS", "views"));
                yield Response.text("reset\n");
            }
            default -> Response.text("Not found\n", 404);
        };
    }

    private static long number(Entry entry) {
        return Long.parseLong(new String(entry.value(), StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8000"));
        try (ConsoleLogging logs = ConsoleLogging.install();
             Store store = Store.open("app.db", TABLES);
             Servers servers = start(ServerConfig.tcp("127.0.0.1", port), ServerConfig.unix(ServerConfig.DEFAULT_UNIX_PATH), store)) {
            servers.site().awaitShutdown();
        }
    }
}
