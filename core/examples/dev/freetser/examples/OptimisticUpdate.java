package dev.freetser.examples;

import dev.freetser.ConsoleLogging;
import dev.freetser.Handler;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import dev.freetser.storage.Entry;
import dev.freetser.storage.EntryAlreadyExistsException;
import dev.freetser.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * Read, work outside the storage thread, then write only if nobody wrote in between. The first
 * routine reads the value and its counter; the slow work (a call to another service, say) runs on
 * the connection's own thread; the second routine's {@code update} succeeds only at the counter
 * that was read. When another request got there first, answer 409 and let the client retry.
 * {@code POST /anything} increments the number stored under that path.
 */
public final class OptimisticUpdate {
    static final List<String> TABLES = List.of("COUNTERS");

    private OptimisticUpdate() {
    }

    /** @param slowWork computes the next value from the current one, outside any routine */
    static Handler handler(LongUnaryOperator slowWork) {
        return (req, store) -> {
            if (!req.method().equals("POST")) {
                return Response.text("Use POST to increment\n", 405).withHeader("Allow", "POST");
            }
            String key = req.path();
            Optional<Entry> seen = store.execute(s -> s.get("COUNTERS", key));
            long current = seen.map(e -> Long.parseLong(new String(e.value(), StandardCharsets.UTF_8))).orElse(0L);
            long next = slowWork.applyAsLong(current);
            byte[] value = Long.toString(next).getBytes(StandardCharsets.UTF_8);
            boolean written = seen.isPresent()
                    ? store.execute(s -> s.update("COUNTERS", key, value, seen.get().counter(), 0))
                    : addIfStillAbsent(store, key, value);
            return written
                    ? Response.text(key + " = " + next + "\n")
                    : Response.text("Conflict: " + key + " changed meanwhile, retry\n", 409);
        };
    }

    private static boolean addIfStillAbsent(Store store, String key, byte[] value) {
        try {
            store.execute(s -> {
                s.add("COUNTERS", key, value, 0);
                return null;
            });
            return true;
        } catch (EntryAlreadyExistsException e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8000"));
        try (ConsoleLogging logs = ConsoleLogging.install();
             Store store = Store.open("app.db", TABLES);
             Server server = Server.start(ServerConfig.tcp("127.0.0.1", port), handler(n -> n + 1), store)) {
            server.awaitShutdown();
        }
    }
}
