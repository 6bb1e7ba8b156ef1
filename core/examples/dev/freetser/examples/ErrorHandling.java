package dev.freetser.examples;

import dev.freetser.ConsoleLogging;
import dev.freetser.Handler;
import dev.freetser.HttpException;
import dev.freetser.Request;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import dev.freetser.storage.EntryAlreadyExistsException;
import dev.freetser.storage.StorageException;
import dev.freetser.storage.Store;
import java.util.List;

/**
 * Each error gets its own status. Bad input: throw {@link HttpException}, which the server sends
 * as a short text body with that status. A duplicate key: {@link EntryAlreadyExistsException},
 * here 409. Any other {@link StorageException}: 500 with a body that says nothing of the cause
 * (the detail goes to the log, never to the client). {@code POST /users/{name}} registers a name.
 */
public final class ErrorHandling {
    static final List<String> TABLES = List.of("USERS");
    private static final System.Logger LOG = System.getLogger("freetser.examples.errors");

    private ErrorHandling() {
    }

    static Handler handler() {
        return (req, store) -> {
            try {
                return register(req, store);
            } catch (EntryAlreadyExistsException e) {
                return Response.text("That name is taken\n", 409);
            } catch (StorageException e) {
                LOG.log(System.Logger.Level.ERROR, "storage failed", e);
                return Response.text("Storage failed, try again later\n", 500);
            }
        };
    }

    private static Response register(Request req, Store store) {
        if (!req.method().equals("POST") || !req.path().startsWith("/users/")) {
            throw new HttpException(404, "Not found");
        }
        String name = req.path().substring("/users/".length());
        if (name.isEmpty() || name.length() > 32 || !name.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
            throw new HttpException(400, "name must be 1 to 32 ASCII letters or digits");
        }
        store.execute(s -> {
            s.add("USERS", name, req.body(), 0);
            return null;
        });
        return Response.text("Registered " + name + "\n", 201);
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
