package dev.freetser;

import dev.freetser.server.Listener;
import dev.freetser.storage.Store;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * A listening HTTP/1.1 server: one virtual thread per connection (named {@code freetser-conn-N}),
 * calling the handler for each request. {@link #start} returns once the socket is listening;
 * {@link #close} stops gracefully. The original's blocking {@code start_server} is
 * {@code Server.start(...).awaitShutdown()}.
 *
 * <p>Under full load a new connection's thread can wait long for a carrier (JDK 25 queues a
 * started thread behind the carriers' own work); run with
 * {@code -Djdk.virtualThreadScheduler.parallelism=<CPUs + 1>}, as the demo does, to avoid that.
 */
public final class Server implements AutoCloseable {
    private final Listener listener;

    private Server(Listener listener) {
        this.listener = listener;
    }

    /** Starts a server without storage (handlers receive {@code null} for the store). */
    public static Server start(ServerConfig config, Handler handler) throws IOException {
        return start(config, handler, null);
    }

    /**
     * Binds, starts the accept loop and returns once listening. Several servers may share one store.
     *
     * @throws java.net.BindException when the address is already in use (the message names it)
     * @throws IOException when the address cannot be bound for another reason
     */
    public static Server start(ServerConfig config, Handler handler, Store store) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        // The server's parser checks every request field, so request headers skip Header's checks.
        return new Server(Listener.start(config, handler, store, Headers::ofChecked));
    }

    /** The bound address (with the real port when the config asked for port 0). */
    public SocketAddress address() {
        return listener.address();
    }

    /** The bound TCP port, or -1 for a Unix socket. */
    public int port() {
        return listener.address() instanceof InetSocketAddress in ? in.getPort() : -1;
    }

    /**
     * Blocks until the server has been closed (by another thread or a shutdown hook).
     *
     * @throws IOException when the server closed itself because its listening socket failed: a
     *     process should then exit with an error, so that a supervisor restarts it
     */
    public void awaitShutdown() throws InterruptedException, IOException {
        listener.awaitShutdown();
    }

    /**
     * Stops accepting, ends idle connections, lets in-flight requests finish within the shutdown
     * grace period (their responses say {@code Connection: close}), then closes what is left and
     * removes a Unix socket file. Idempotent; blocks until done; does not close the store.
     */
    @Override
    public void close() {
        listener.close();
    }
}
