package dev.freetser.server;

import dev.freetser.Handler;
import dev.freetser.Headers;
import dev.freetser.ServerConfig;
import dev.freetser.storage.StorageQueue;
import dev.freetser.http.HttpLimits;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import jdk.net.ExtendedSocketOptions;

/**
 * The listening socket, its accept loop ({@code freetser-accept}), the connections it started and
 * the graceful stop. TCP and Unix sockets share this code: both are non-blocking socket channels
 * that one {@link SocketWatcher} watches, and their threads block on it.
 */
public final class Listener {
    private static final System.Logger LOG = System.getLogger("freetser.server");
    private static final long MAX_ACCEPT_BACKOFF_MILLIS = 1000;
    /**
     * The most threads kept parked for the next connections (see ReadyThreads): a thread whose
     * connection ended waits for another while fewer wait, so a burst as large finds them ready.
     * Each keeps 1 to 2.2 KiB of heap while it waits (2.2 after a plaintext load from 1,024
     * connections: two stack chunks, since the next park does not reuse a chunk that reached the
     * old generation). Fewer were tried: with 64, or none, a request on a new connection under
     * 1,024 busy ones took a median of 20 to 34 ms instead of 11 to 20 (before the socket
     * watcher's pauses, 64 left a burst of 1,024 new connections waiting up to 6 s).
     */
    private static final int READY_THREADS = 1024;
    /**
     * Ready threads started with the server, and kept ready by starting a replacement for each
     * one handed out while fewer wait. Starting all 1,024 at once cost an idle server 1.75 MB more
     * heap and 3.5 MB more RSS: they parked while their code was still interpreted (larger frames).
     */
    private static final int READY_AT_START = 64;
    /** The name of a thread that waits for a connection; one serving a connection is named after it. */
    static final String READY_NAME = "freetser-ready";

    private final ServerConfig config;
    private final Handler handler;
    private final StorageQueue store;
    private final Function<String[], Headers> checkedHeaders;
    private final HttpLimits httpLimits;
    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final Semaphore slots;
    private final Deadlines deadlines;
    private final ReadyThreads readyThreads = new ReadyThreads(Thread.ofVirtual().name(READY_NAME).factory());
    /** Connections accepted so far; only the accept loop counts them. */
    private long accepted;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long[] phaseTimeouts;
    private final SocketWatcher watcher;
    private final SocketWatcher.Watch acceptWatch;
    private Thread watcherThread;

    private Listener(ServerConfig config, Handler handler, StorageQueue store,
                     Function<String[], Headers> checkedHeaders) throws IOException {
        this.config = config;
        this.handler = handler;
        this.store = store;
        this.checkedHeaders = checkedHeaders;
        var limits = config.limits();
        this.httpLimits = new HttpLimits(limits.maxHeaderBytes(), limits.maxTargetLength(), limits.maxHeaderCount(),
                limits.maxBodyBytes());
        this.slots = new Semaphore(limits.maxConnections());
        this.server = bind(config);
        this.address = server.getLocalAddress();
        this.deadlines = new Deadlines(tickMillis(config.timeouts()));
        try {
            this.watcher = new SocketWatcher();
            this.acceptWatch = watcher.register(server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        var t = config.timeouts();
        this.phaseTimeouts = new long[ConnectionLoop.Phase.values().length];
        phaseTimeouts[ConnectionLoop.Phase.IDLE.ordinal()] = t.idle().toNanos();
        phaseTimeouts[ConnectionLoop.Phase.HEAD.ordinal()] = t.head().toNanos();
        phaseTimeouts[ConnectionLoop.Phase.BODY.ordinal()] = t.body().toNanos();
        phaseTimeouts[ConnectionLoop.Phase.WRITE.ordinal()] = t.write().toNanos();
    }

    /**
     * Binds and starts accepting; returns once the socket listens. {@code checkedHeaders} makes a
     * request's {@link Headers} from names and values the parser has checked, without checking
     * them again (the API's package-private factory, which {@link dev.freetser.Server} passes).
     */
    public static Listener start(ServerConfig config, Handler handler, StorageQueue store,
                                 Function<String[], Headers> checkedHeaders) throws IOException {
        Listener l = new Listener(config, handler, store, checkedHeaders);
        Thread.ofPlatform().name("freetser-deadlines").daemon().start(l.deadlines);
        l.watcherThread = Thread.ofVirtual().name("freetser-watcher").start(l.watcher);
        int most = config.limits().maxConnections();
        l.readyThreads.start(Math.min(READY_AT_START, most), Math.min(READY_THREADS, most));
        // A virtual thread, so that the ready threads it wakes join its carrier's own queue.
        Thread.ofVirtual().name("freetser-accept").start(l::acceptLoop);
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
        Path path = unix.getPath();
        if (!Files.exists(path)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(unix)) {
            throw new BindException("address already in use: " + path);
        } catch (BindException e) {
            throw e;
        } catch (IOException e) {
            Files.deleteIfExists(path);
        }
    }

    /** A quarter of the shortest timeout, so deadlines hold to within 25%, between 10 ms and 1 s. */
    private static long tickMillis(ServerConfig.Timeouts t) {
        long shortest = Math.min(Math.min(t.head().toMillis(), t.body().toMillis()),
                Math.min(t.idle().toMillis(), t.write().toMillis()));
        return Math.clamp(shortest / 4, 10, 1000);
    }

    private void acceptLoop() {
        long backoff = 0;
        while (!closing.get()) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel ch;
            try {
                while ((ch = server.accept()) == null) {
                    acceptWatch.awaitReadable();
                }
                backoff = 0;
            } catch (ClosedChannelException e) {
                slots.release();
                return;
            } catch (IOException e) {
                // Typically EMFILE (too many open files): back off instead of spinning, then retry.
                slots.release();
                backoff = Math.min(Math.max(backoff * 2, 10), MAX_ACCEPT_BACKOFF_MILLIS);
                LOG.log(System.Logger.Level.WARNING, "accept failed ({0}); retrying in {1} ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            startConnection(ch);
        }
    }

    private void startConnection(SocketChannel ch) {
        ConnectionLoop loop = null;
        try {
            configure(ch);
            loop = new ConnectionLoop(this, ch, watcher.register(ch), ch.getRemoteAddress(), ++accepted);
            deadlines.add(loop);
            readyThreads.run(loop, loop::thread);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not start a connection: {0}", e.toString());
            if (loop != null) {
                deadlines.remove(loop);
            }
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing; nothing more to do
            }
            slots.release();
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
        if (ch.supportedOptions().contains(option)) {
            ch.setOption(option, value);
        }
    }

    void release(ConnectionLoop loop) {
        deadlines.remove(loop);
        slots.release();
    }

    /**
     * Stops accepting, ends idle connections, lets busy ones finish their response (sent with
     * {@code Connection: close}) until the grace period ends, then cuts off the rest. Idempotent.
     */
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitQuietly();
            return;
        }
        acceptWatch.close();
        readyThreads.close();
        if (address instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove {0}: {1}", unix.getPath(), e.toString());
            }
        }
        for (ConnectionLoop c : deadlines.connections()) {
            c.closeIfIdle();
        }
        long end = System.nanoTime() + config.timeouts().shutdownGrace().toNanos();
        joinAll(end);
        for (ConnectionLoop c : deadlines.connections()) {
            c.abort();
        }
        joinAll(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        deadlines.stop();
        watcher.close();
        try {
            // It releases the sockets, the listening one included: done once close() returns.
            watcherThread.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.INFO, "stopped listening on {0}", address);
        stopped.countDown();
    }

    private void joinAll(long endNanos) {
        for (ConnectionLoop c : deadlines.connections()) {
            Thread t = c.thread();
            long left = endNanos - System.nanoTime();
            if (t == null || left <= 0) {
                continue;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    public SocketAddress address() {
        return address;
    }

    boolean closing() {
        return closing.get();
    }

    boolean logRequests() {
        return config.logRequests();
    }

    Handler handler() {
        return handler;
    }

    StorageQueue store() {
        return store;
    }

    Function<String[], Headers> checkedHeaders() {
        return checkedHeaders;
    }

    HttpLimits httpLimits() {
        return httpLimits;
    }

    /** The deadline of a phase in nanoseconds, 0 for none; computed once, read on every phase change. */
    long timeoutNanos(ConnectionLoop.Phase phase) {
        return phaseTimeouts[phase.ordinal()];
    }

    /** When a phase begun now must end, or 0 if it has no deadline. */
    long deadline(ConnectionLoop.Phase phase) {
        long timeout = phaseTimeouts[phase.ordinal()];
        return timeout == 0 ? 0 : deadlines.deadlineAfter(timeout);
    }
}
