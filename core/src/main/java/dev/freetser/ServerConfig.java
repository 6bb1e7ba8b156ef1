package dev.freetser;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a server listens and how it treats connections. Start from {@link #tcp}, {@link #unix}
 * or {@link #defaults} and change parts with the {@code with} methods.
 *
 * @param address an {@link InetSocketAddress} (port 0 picks a free port) or a
 *     {@link UnixDomainSocketAddress}
 * @param limits sizes and counts beyond which requests or connections are refused
 * @param timeouts how long a client may take at each step
 * @param tcp TCP socket options (ignored for Unix sockets)
 * @param backlog the listen queue length
 * @param logRequests whether to log one line per request (level INFO, logger {@code freetser.request})
 */
public record ServerConfig(SocketAddress address, Limits limits, Timeouts timeouts, TcpOptions tcp,
                           int backlog, boolean logRequests) {

    /** The Unix socket path the original uses by default. */
    public static final Path DEFAULT_UNIX_PATH = Path.of("/tmp/freetser.sock");

    public ServerConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(tcp, "tcp");
        if (!(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("address must be an InetSocketAddress or a UnixDomainSocketAddress");
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        }
    }

    /** TCP on 127.0.0.1:8000 with the default limits and timeouts. */
    public static ServerConfig defaults() {
        return tcp("127.0.0.1", 8000);
    }

    /** TCP on the given host and port (0 for any free port) with the default limits and timeouts. */
    public static ServerConfig tcp(String host, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        return new ServerConfig(new InetSocketAddress(host, port), Limits.defaults(), Timeouts.defaults(),
                TcpOptions.defaults(), 1024, false);
    }

    /** A Unix domain socket at the given path; a stale socket file there is replaced. */
    public static ServerConfig unix(Path path) {
        return new ServerConfig(UnixDomainSocketAddress.of(path), Limits.defaults(), Timeouts.defaults(),
                TcpOptions.defaults(), 1024, false);
    }

    public ServerConfig withLimits(Limits limits) {
        return new ServerConfig(address, limits, timeouts, tcp, backlog, logRequests);
    }

    public ServerConfig withTimeouts(Timeouts timeouts) {
        return new ServerConfig(address, limits, timeouts, tcp, backlog, logRequests);
    }

    public ServerConfig withTcp(TcpOptions tcp) {
        return new ServerConfig(address, limits, timeouts, tcp, backlog, logRequests);
    }

    public ServerConfig withBacklog(int backlog) {
        return new ServerConfig(address, limits, timeouts, tcp, backlog, logRequests);
    }

    public ServerConfig withLogRequests(boolean logRequests) {
        return new ServerConfig(address, limits, timeouts, tcp, backlog, logRequests);
    }

    /**
     * Request and connection limits.
     *
     * @param maxHeaderBytes request line plus header section, in bytes (431 past it; if the request
     *     line alone passes it: 414 in the target, 501 in the method, 400 after the target)
     * @param maxTargetLength the request-target, in bytes (414 past it)
     * @param maxHeaderCount header fields in one request (431 past it)
     * @param maxBodyBytes a request body, in bytes (413 past it)
     * @param maxConnections open connections at once; past it the server stops accepting until one
     *     closes, and new clients wait in the kernel's listen backlog
     */
    public record Limits(int maxHeaderBytes, int maxTargetLength, int maxHeaderCount, long maxBodyBytes,
                         int maxConnections) {
        public Limits {
            positive("maxHeaderBytes", maxHeaderBytes);
            positive("maxTargetLength", maxTargetLength);
            positive("maxHeaderCount", maxHeaderCount);
            positive("maxBodyBytes", maxBodyBytes);
            positive("maxConnections", maxConnections);
        }

        /** 16 KiB headers, 8 KiB target, 100 fields, 2 MiB body, 10,000 connections. */
        public static Limits defaults() {
            return new Limits(16 * 1024, 8 * 1024, 100, 2 * 1024 * 1024, 10_000);
        }

        public Limits withMaxHeaderBytes(int n) {
            return new Limits(n, maxTargetLength, maxHeaderCount, maxBodyBytes, maxConnections);
        }

        public Limits withMaxTargetLength(int n) {
            return new Limits(maxHeaderBytes, n, maxHeaderCount, maxBodyBytes, maxConnections);
        }

        public Limits withMaxHeaderCount(int n) {
            return new Limits(maxHeaderBytes, maxTargetLength, n, maxBodyBytes, maxConnections);
        }

        public Limits withMaxBodyBytes(long n) {
            return new Limits(maxHeaderBytes, maxTargetLength, maxHeaderCount, n, maxConnections);
        }

        public Limits withMaxConnections(int n) {
            return new Limits(maxHeaderBytes, maxTargetLength, maxHeaderCount, maxBodyBytes, n);
        }
    }

    /**
     * Deadlines for each step of a connection; a client that misses one loses its connection.
     *
     * @param head from the first byte of a request to the end of its header section (408 is sent)
     * @param body from the end of the header section to the end of the body (408 is sent)
     * @param idle between requests on a kept-alive connection (closed silently)
     * @param write for writing one response, or each chunk of a streamed one
     * @param shutdownGrace how long {@link Server#close} lets in-flight requests finish
     */
    public record Timeouts(Duration head, Duration body, Duration idle, Duration write, Duration shutdownGrace) {
        public Timeouts {
            positive("head", head);
            positive("body", body);
            positive("idle", idle);
            positive("write", write);
            Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        }

        /** head 10 s, body 30 s, idle 60 s, write 30 s, shutdown grace 10 s. */
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
                    Duration.ofSeconds(30), Duration.ofSeconds(10));
        }

        public Timeouts withHead(Duration d) {
            return new Timeouts(d, body, idle, write, shutdownGrace);
        }

        public Timeouts withBody(Duration d) {
            return new Timeouts(head, d, idle, write, shutdownGrace);
        }

        public Timeouts withIdle(Duration d) {
            return new Timeouts(head, body, d, write, shutdownGrace);
        }

        public Timeouts withWrite(Duration d) {
            return new Timeouts(head, body, idle, d, shutdownGrace);
        }

        public Timeouts withShutdownGrace(Duration d) {
            return new Timeouts(head, body, idle, write, d);
        }
    }

    /**
     * TCP options, as the original sets them.
     *
     * @param noDelay TCP_NODELAY: send small responses at once instead of waiting up to 40 ms for
     *     more data (Nagle's algorithm meeting delayed ACKs)
     * @param keepAlive SO_KEEPALIVE: probe idle peers so dead connections are noticed
     * @param keepAliveIdleSeconds idle time before the first probe, where the platform supports it
     * @param keepAliveIntervalSeconds time between probes
     * @param keepAliveCount unanswered probes before the connection is dropped
     */
    public record TcpOptions(boolean noDelay, boolean keepAlive, int keepAliveIdleSeconds,
                             int keepAliveIntervalSeconds, int keepAliveCount) {
        /** nodelay on; keepalive on with idle 60 s, interval 10 s, 3 probes. */
        public static TcpOptions defaults() {
            return new TcpOptions(true, true, 60, 10, 3);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " timeout must be positive, got " + value);
        }
    }
}
