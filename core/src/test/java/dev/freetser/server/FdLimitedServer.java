package dev.freetser.server;

import dev.freetser.Server;

/** A server for {@link AcceptErrorTest}, run in a child JVM with few file descriptors. */
public final class FdLimitedServer {
    private FdLimitedServer() {}

    public static void main(String[] args) throws Exception {
        try (Server server = TestApp.start(TestApp.config())) {
            System.out.println("port " + server.port());
            System.out.flush();
            System.in.read(); // the test closes our stdin to stop us
        }
    }
}
