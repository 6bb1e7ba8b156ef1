package dev.freetser.examples;

import dev.freetser.ConsoleLogging;
import dev.freetser.Handler;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import dev.freetser.storage.Entry;
import dev.freetser.storage.Storage;
import dev.freetser.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The original's storage example. A routine is a function of {@link Storage}; the handler sends it
 * to the one storage thread with {@code store.execute}, which runs it in a transaction and returns
 * its result. Keep routines short and free of I/O: every other request waits behind them.
 */
public final class GetOrCreate {
    static final List<String> TABLES = List.of("USERS");

    private GetOrCreate() {
    }

    static String getOrCreate(Storage store) {
        String key = "my_user_email";
        Optional<Entry> found = store.get("USERS", key);
        if (found.isEmpty()) {
            store.add("USERS", key, "my.user@freetser.com".getBytes(StandardCharsets.UTF_8), 0);
            return "Created: " + key + "\n";
        }
        return "Found: " + key + ", counter=" + found.get().counter() + "\n";
    }

    static Handler handler() {
        return (req, store) -> Response.text(store.execute(GetOrCreate::getOrCreate));
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8000"));
        try (ConsoleLogging logs = ConsoleLogging.install();
             Store store = Store.open("app.db", TABLES);
             Server server = Server.start(ServerConfig.tcp("127.0.0.1", port), handler(), store)) {
            server.awaitShutdown();
        }
    }
}
