package dev.freetser.examples;

import dev.freetser.ConsoleLogging;
import dev.freetser.Handler;
import dev.freetser.HttpException;
import dev.freetser.Request;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import java.util.Map;

/**
 * Routing without a framework: a switch on method and path, a prefix for paths with a parameter,
 * query parameters through {@code req.param}, JSON from records and maps.
 */
public final class Routing {
    private Routing() {
    }

    /** Written as JSON with its fields in declaration order. */
    public record User(String id, String name) {
    }

    static Handler handler() {
        return (req, store) -> {
            if (req.path().startsWith("/users/")) {
                return user(req, req.path().substring("/users/".length()));
            }
            return switch (req.method() + " " + req.path()) {
                case "GET /" -> Response.text("Home\n");
                case "GET /health" -> Response.json(Map.of("status", "ok"));
                case "GET /search" -> Response.json(Map.of("query", required(req, "q")));
                case "POST /echo" -> Response.text(req.text());
                default -> Response.text("Not found\n", 404);
            };
        };
    }

    private static Response user(Request req, String id) {
        return switch (req.method()) {
            case "GET" -> Response.json(new User(id, "User " + id));
            case "DELETE" -> Response.empty();
            default -> Response.text("Method not allowed\n", 405).withHeader("Allow", "GET, DELETE");
        };
    }

    private static String required(Request req, String name) {
        String value = req.param(name);
        if (value == null) {
            throw new HttpException(400, "missing query parameter " + name);
        }
        return value;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8000"));
        try (ConsoleLogging logs = ConsoleLogging.install();
             Server server = Server.start(ServerConfig.tcp("127.0.0.1", port), handler())) {
            server.awaitShutdown();
        }
    }
}
