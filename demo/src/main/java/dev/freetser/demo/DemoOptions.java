package dev.freetser.demo;

import dev.freetser.ServerConfig;
import dev.freetser.storage.Durability;
import dev.freetser.storage.StorageOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The demo's command line. Parsing has no side effects (no socket, no file), so every flag and
 * every wrong value is a unit test.
 *
 * @param host the TCP address to listen on
 * @param port the TCP port, 0 for any free port
 * @param unixSocket a Unix domain socket path to listen on instead of TCP, or {@code null}
 * @param db the SQLite database file, {@code :memory:}, or a {@code jdbc:postgresql://} URL
 * @param maxConnections open connections at once (past it, new ones wait in the listen backlog)
 * @param logRequests whether the server logs one line per request
 * @param purgeInterval how often the idle storage thread deletes expired entries; zero never
 * @param durability what a committed change survives (see {@link Durability})
 * @param help whether {@code --help} was given
 */
record DemoOptions(String host, int port, Path unixSocket, String db, int maxConnections, boolean logRequests,
                   Duration purgeInterval, Durability durability, boolean help) {

    /** How often the idle demo deletes expired entries; a purge that finds none is one index lookup per table. */
    static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofSeconds(60);
    static final long MAX_PURGE_SECONDS = 86_400;

    static final String USAGE = """
            Usage: java -jar freetser-<version>-demo.jar [options]
               or: ./mvnw -q compile exec:exec -Ddemo.args="[options]"

            The freetser demo: the original's test routes and a key-value API over HTTP.

            Options:
              --host HOST          address to listen on (default 127.0.0.1)
              --port PORT          TCP port, 0 for any free port (default 8000)
              --unix-socket PATH   listen on this Unix domain socket instead of TCP
              --db DB              SQLite database file, :memory:, or a PostgreSQL URL
                                   jdbc:postgresql://HOST:PORT/DATABASE?user=U&password=P
                                   that several instances may share (default freetser-demo.db)
              --durability D       normal or full: what a committed change survives
                                   (default normal; see Durability)
              --max-connections N  open connections at once (default 10000)
              --purge-interval S   delete expired entries every S seconds while idle,
                                   0 never (default 60)
              --log-requests       log one line per request
              --help               print this help and exit
            Values may also be given as --name=value.
            """;

    static DemoOptions defaults() {
        return new DemoOptions("127.0.0.1", 8000, null, "freetser-demo.db",
                ServerConfig.Limits.defaults().maxConnections(), false, DEFAULT_PURGE_INTERVAL, Durability.NORMAL, false);
    }

    /**
     * Reads the flags, each at most once.
     *
     * @throws IllegalArgumentException with a message naming the flag and what was wrong
     */
    static DemoOptions parse(String... args) {
        DemoOptions o = defaults();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            String inline = name.length() < arg.length() ? arg.substring(eq + 1) : null;
            if (!seen.add(name)) {
                throw new IllegalArgumentException(name + " given more than once");
            }
            switch (name) {
                case "--help", "-h" -> o = o.withHelp();
                case "--log-requests" -> {
                    if (inline != null) {
                        throw new IllegalArgumentException("--log-requests takes no value");
                    }
                    o = new DemoOptions(o.host, o.port, o.unixSocket, o.db, o.maxConnections, true, o.purgeInterval, o.durability, o.help);
                }
                case "--host", "--port", "--unix-socket", "--db", "--max-connections", "--purge-interval", "--durability" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 == args.length || args[i + 1].startsWith("--")) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    o = o.with(name, value);
                }
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (o.unixSocket != null && (seen.contains("--host") || seen.contains("--port"))) {
            throw new IllegalArgumentException("--unix-socket listens instead of TCP: do not combine it with --host or --port");
        }
        return o;
    }

    private DemoOptions with(String name, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " needs a non-empty value");
        }
        return switch (name) {
            case "--host" -> new DemoOptions(value, port, unixSocket, db, maxConnections, logRequests, purgeInterval, durability, help);
            case "--port" -> new DemoOptions(host, port(value), unixSocket, db, maxConnections, logRequests, purgeInterval, durability, help);
            case "--unix-socket" -> new DemoOptions(host, port, Path.of(value), db, maxConnections, logRequests, purgeInterval, durability,
                    help);
            case "--db" -> new DemoOptions(host, port, unixSocket, value, maxConnections, logRequests, purgeInterval, durability, help);
            case "--max-connections" -> new DemoOptions(host, port, unixSocket, db, count(value), logRequests, purgeInterval, durability,
                    help);
            case "--purge-interval" -> new DemoOptions(host, port, unixSocket, db, maxConnections, logRequests,
                    purgeInterval(value), durability, help);
            case "--durability" -> new DemoOptions(host, port, unixSocket, db, maxConnections, logRequests, purgeInterval,
                    durability(value), help);
            default -> throw new IllegalStateException("no value flag " + name);
        };
    }

    private DemoOptions withHelp() {
        return new DemoOptions(host, port, unixSocket, db, maxConnections, logRequests, purgeInterval, durability, true);
    }

    private static Durability durability(String value) {
        return switch (value) {
            case "normal" -> Durability.NORMAL;
            case "full" -> Durability.FULL;
            default -> throw new IllegalArgumentException("--durability must be normal or full, got '" + value + "'");
        };
    }

    private static int port(String value) {
        if (value.length() <= 5 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int port = Integer.parseInt(value);
            if (port <= 65535) {
                return port;
            }
        }
        throw new IllegalArgumentException("--port must be a number from 0 to 65535, got '" + value + "'");
    }

    private static int count(String value) {
        if (value.length() <= 7 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 1_000_000) {
                return n;
            }
        }
        throw new IllegalArgumentException("--max-connections must be a number from 1 to 1000000, got '" + value + "'");
    }

    private static Duration purgeInterval(String value) {
        if (value.length() <= 5 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long seconds = Long.parseLong(value);
            if (seconds <= MAX_PURGE_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        }
        throw new IllegalArgumentException("--purge-interval must be a number of seconds from 0 to " + MAX_PURGE_SECONDS
                + ", got '" + value + "'");
    }

    /** The storage options these options describe: the defaults with the purge interval. */
    StorageOptions storageOptions() {
        return StorageOptions.defaults().withPurgeInterval(purgeInterval).withDurability(durability);
    }

    /**
     * The server configuration these options describe.
     *
     * @throws IllegalArgumentException when the host name cannot be resolved
     */
    ServerConfig serverConfig() {
        ServerConfig config = unixSocket != null ? ServerConfig.unix(unixSocket) : ServerConfig.tcp(host, port);
        if (config.address() instanceof InetSocketAddress tcp && tcp.isUnresolved()) {
            throw new IllegalArgumentException("--host '" + host + "' is not an address this machine can resolve");
        }
        return config.withLogRequests(logRequests)
                .withLimits(config.limits().withMaxConnections(maxConnections));
    }
}
