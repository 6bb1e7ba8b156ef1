package dev.freetser.server;

import dev.freetser.Handler;
import dev.freetser.Headers;
import dev.freetser.ServerConfig;
import dev.freetser.http.HttpLimits;
import dev.freetser.internal.RateLimitedLog;
import dev.freetser.storage.Store;
import java.io.Closeable;
import java.io.IOException;
import java.net.*;
import java.nio.channels.*;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.*;
import java.util.function.Function;
import jdk.net.ExtendedSocketOptions;

/**
 * The listening socket, its accept loop ({@code freetser-accept}), the connections it started and
 * the graceful stop. Each accepted connection gets a new virtual thread, {@code freetser-conn-N}
 * for the Nth, that serves it and ends with it. TCP and Unix sockets share this code.
 */
public final class Listener {
    private static final System.Logger LOG = System.getLogger("freetser.server");

    /** Accepts one connection; tests substitute one that fails. */
    interface Acceptor {
        SocketChannel accept(ServerSocketChannel server) throws IOException;
    }

    // Read by the connections.
    final ServerConfig config;
    final Handler handler;
    final Store store;
    final Function<String[], Headers> checkedHeaders;
    final HttpLimits httpLimits;
    final RateLimitedLog failures = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    volatile boolean closing;

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final Acceptor acceptor;
    private final Semaphore slots;
    /** The open connections and their threads; the sweeper checks their deadlines. */
    private final Map<ConnectionLoop, Thread> connections = new ConcurrentHashMap<>();
    private final Thread.Builder connectionThreads = Thread.ofVirtual().name("freetser-conn-", 1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Throwable failure;
    private Thread acceptThread;

    private Listener(ServerConfig config, Handler handler, Store store,
                     Function<String[], Headers> checkedHeaders, Acceptor acceptor) throws IOException {
        this.config = config;
        this.handler = handler;
        this.store = store;
        this.checkedHeaders = checkedHeaders;
        this.acceptor = acceptor;
        var limits = config.limits();
        this.httpLimits = new HttpLimits(limits.maxHeaderBytes(), limits.maxTargetLength(), limits.maxHeaderCount(),
                limits.maxBodyBytes());
        this.slots = new Semaphore(limits.maxConnections());
        this.server = bind(config);
        this.address = server.getLocalAddress();
    }

    /**
     * Binds and starts accepting; returns once the socket listens. {@code checkedHeaders} makes a
     * request's {@link Headers} from names and values the parser has checked, without checking
     * them again (the API's package-private factory, which {@link dev.freetser.Server} passes).
     */
    public static Listener start(ServerConfig config, Handler handler, Store store,
                                 Function<String[], Headers> checkedHeaders) throws IOException {
        return start(config, handler, store, checkedHeaders, ServerSocketChannel::accept);
    }

    static Listener start(ServerConfig config, Handler handler, Store store,
                          Function<String[], Headers> checkedHeaders, Acceptor acceptor) throws IOException {
        Listener l = new Listener(config, handler, store, checkedHeaders, acceptor);
        Thread.ofPlatform().name("freetser-deadlines").daemon().start(l::sweep);
        l.acceptThread = Thread.ofPlatform().name("freetser-accept").start(l::acceptLoop);
        LOG.log(System.Logger.Level.INFO, "listening on {0}", l.address);
        return l;
    }

    private static ServerSocketChannel bind(ServerConfig config) throws IOException {
        SocketAddress address = config.address();
        if (address instanceof UnixDomainSocketAddress unix) {
            removeStaleSocket(unix);
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(unix, config.backlog());
            return ch;
        }
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, config.backlog());
        } catch (BindException e) {
            ch.close();
            var in = (InetSocketAddress) address;
            String where = in.getHostString() + ":" + in.getPort();
            String reason = String.valueOf(e.getMessage());
            throw new BindException(reason.toLowerCase(Locale.ROOT).contains("in use")
                    ? "address already in use: " + where : "cannot bind " + where + ": " + reason);
        }
        return ch;
    }

    /** A socket file nobody listens on is left over from a crash: replace it; a live one is in use. */
    private static void removeStaleSocket(UnixDomainSocketAddress unix) throws IOException {
        if (Files.exists(unix.getPath())) {
            try (SocketChannel probe = SocketChannel.open(unix)) {
                throw new BindException("address already in use: " + unix.getPath());
            } catch (ConnectException e) {
                Files.deleteIfExists(unix.getPath());
            }
        }
    }

    /**
     * Makes late connections give up. Java sockets have no write timeout and blocking channels
     * ignore SO_TIMEOUT, so each connection publishes its deadline and this thread checks them
     * every quarter of the shortest timeout (10 ms to 1 s): one mechanism for TCP and Unix sockets.
     */
    private void sweep() {
        var t = config.timeouts();
        long tick = Math.clamp(Math.min(Math.min(t.head().toMillis(), t.body().toMillis()),
                Math.min(t.idle().toMillis(), t.write().toMillis())) / 4, 10, 1000);
        while (stopped.getCount() > 0) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            connections.keySet().forEach(c -> c.expireIfLate(now));
        }
    }

    /**
     * Accepts until closed. A failed accept (EMFILE, say) backs off and retries; a connection that
     * cannot be started is dropped. Only a closed listening socket or a VirtualMachineError (out of
     * memory) ends the loop while the server is open: then the server closes, so that
     * {@link #awaitShutdown} reports it and the process can exit rather than live on deaf.
     */
    private void acceptLoop() {
        long backoff = 0;
        try {
            while (!closing) {
                slots.acquire();
                SocketChannel ch;
                try {
                    ch = acceptor.accept(server);
                    backoff = 0;
                } catch (ClosedChannelException | VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) { // Errors too: out of descriptors, loading a class fails
                    slots.release();
                    backoff = Math.clamp(backoff * 2, 10, 1000); // ms
                    failures.log(System.Logger.Level.WARNING, "accept " + e.getClass().getName(),
                            "accept failed (" + e + "); retrying in " + backoff + " ms", null);
                    Thread.sleep(backoff);
                    continue;
                }
                startConnection(ch);
            }
        } catch (Throwable e) {
            if (!closing) {
                LOG.log(System.Logger.Level.ERROR, "the listener on " + address + " failed; closing the server", e);
                failure = e;
                close();
            }
        }
    }

    /** Starts a connection's thread; once started, the thread releases its slot however it ends. */
    private void startConnection(SocketChannel ch) {
        ConnectionLoop loop = new ConnectionLoop(this, ch);
        try {
            configure(ch);
            Thread thread = connectionThreads.unstarted(loop);
            connections.put(loop, thread);
            thread.start();
        } catch (Throwable e) {
            connections.remove(loop);
            loop.close();
            slots.release();
            if (e instanceof VirtualMachineError error) {
                throw error;
            }
            failures.log(System.Logger.Level.WARNING, "start " + e.getClass().getName(),
                    "could not start a connection: " + e, null);
        }
    }

    private void configure(SocketChannel ch) throws IOException {
        if (!(config.address() instanceof InetSocketAddress)) {
            return;
        }
        var tcp = config.tcp();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, tcp.noDelay());
        ch.setOption(StandardSocketOptions.SO_KEEPALIVE, tcp.keepAlive());
        if (tcp.keepAlive()) {
            setIfSupported(ch, ExtendedSocketOptions.TCP_KEEPIDLE, tcp.keepAliveIdleSeconds());
            setIfSupported(ch, ExtendedSocketOptions.TCP_KEEPINTERVAL, tcp.keepAliveIntervalSeconds());
            setIfSupported(ch, ExtendedSocketOptions.TCP_KEEPCOUNT, tcp.keepAliveCount());
        }
    }

    private static void setIfSupported(SocketChannel ch, SocketOption<Integer> option, int value) throws IOException {
        if (ch.supportedOptions().contains(option)) { // not every platform has every keepalive option
            ch.setOption(option, value);
        }
    }

    /** Called by a connection's thread as it ends, whatever ended it. */
    void ended(ConnectionLoop loop) {
        loop.close();
        connections.remove(loop);
        slots.release();
    }

    /**
     * Stops accepting, ends idle connections, lets busy ones finish their response (sent with
     * {@code Connection: close}) until the grace period ends, then cuts off the rest. Idempotent;
     * a second call returns once the first is done.
     */
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        closeQuietly(server); // wakes the accept loop
        if (Thread.currentThread() != acceptThread) {
            join(acceptThread, System.nanoTime() + 1_000_000_000L); // no connection starts after this
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            closeQuietly(() -> Files.deleteIfExists(unix.getPath()));
        }
        connections.keySet().forEach(ConnectionLoop::closeIfIdle);
        long graceEnd = System.nanoTime() + config.timeouts().shutdownGrace().toNanos();
        connections.values().forEach(t -> join(t, graceEnd));
        connections.keySet().forEach(ConnectionLoop::close);
        long end = System.nanoTime() + 1_000_000_000L;
        connections.values().forEach(t -> join(t, end));
        LOG.log(System.Logger.Level.INFO, "stopped listening on {0}", address);
        stopped.countDown();
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "closing {0}: {1}", c, e.toString());
        }
    }

    private static void join(Thread t, long endNanos) {
        try {
            t.join(Duration.ofNanos(endNanos - System.nanoTime())); // returns at once once past
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Blocks until {@link #close} has finished.
     *
     * @throws IOException when the server closed because its listener failed
     */
    public void awaitShutdown() throws InterruptedException, IOException {
        stopped.await();
        Throwable e = failure;
        if (e != null) {
            throw new IOException("the server stopped listening on " + address + ": " + e, e);
        }
    }

    public SocketAddress address() {
        return address;
    }

    /** The timeout of a phase in nanoseconds, 0 for none. */
    long timeoutNanos(ConnectionLoop.Phase phase) {
        var t = config.timeouts();
        return switch (phase) {
            case IDLE -> t.idle().toNanos();
            case HEAD -> t.head().toNanos();
            case BODY -> t.body().toNanos();
            case WRITE -> t.write().toNanos();
            case HANDLER -> 0;
        };
    }
}
