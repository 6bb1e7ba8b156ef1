package dev.freetser.demo;

import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;

/** The demo server (placeholder: hello world on port 8000 until the demo issue lands). */
public final class DemoServer {
    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        try (Server server = Server.start(ServerConfig.defaults(), (req, store) -> switch (req.path()) {
            case "/" -> Response.text("Hello world!");
            default -> Response.text("Not found!", 404);
        })) {
            server.awaitShutdown();
        }
    }
}
