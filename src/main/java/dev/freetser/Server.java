package dev.freetser;

import dev.freetser.storage.StorageQueue;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * A listening HTTP/1.1 server: one virtual thread per connection, calling the handler for each
 * request. {@link #start} returns once the socket is listening; {@link #close} stops gracefully.
 */
public final class Server implements AutoCloseable {

    private Server() {
    }

    /** Starts a server without storage (handlers receive {@code null} for the store). */
    public static Server start(ServerConfig config, Handler handler) throws IOException {
        return start(config, handler, null);
    }

    /**
     * Binds, starts the accept loop and returns once listening. Several servers may share one store.
     *
     * @throws IOException when the address cannot be bound (for example, already in use)
     */
    public static Server start(ServerConfig config, Handler handler, StorageQueue store) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** The bound address (with the real port when the config asked for port 0). */
    public SocketAddress address() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The bound TCP port, or -1 for a Unix socket. */
    public int port() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Blocks until the server has been closed. */
    public void awaitShutdown() throws InterruptedException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Stops accepting, lets in-flight requests finish within the shutdown grace period, closes
     * idle connections and removes a Unix socket file. Idempotent; does not close the store.
     */
    @Override
    public void close() {
    }
}
