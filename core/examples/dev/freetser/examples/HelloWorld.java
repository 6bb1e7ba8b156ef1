package dev.freetser.examples;

import dev.freetser.ConsoleLogging;
import dev.freetser.Handler;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;

/**
 * The original's hello world: one handler, a switch on the path. Open http://127.0.0.1:8000/, or
 * the port given as first argument or in the PORT environment variable.
 */
public final class HelloWorld {
    private HelloWorld() {
    }

    static Handler handler() {
        return (req, store) -> switch (req.path()) {
            case "/" -> Response.text("Hello world!");
            default -> Response.text("Not found!", 404);
        };
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8000"));
        try (ConsoleLogging logs = ConsoleLogging.install();
             Server server = Server.start(ServerConfig.tcp("127.0.0.1", port), handler())) {
            server.awaitShutdown();
        }
    }
}
