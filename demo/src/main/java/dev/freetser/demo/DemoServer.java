package dev.freetser.demo;

import dev.freetser.ConsoleLogging;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import dev.freetser.storage.StorageException;
import dev.freetser.storage.StorageQueue;
import dev.freetser.storage.Store;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * The demo server started by the README's first command: {@link DemoRoutes} on an SQLite file.
 * {@link #run} does the work and returns an exit code, so tests call it in-process; {@link #main}
 * only turns a failure's code into the process's exit status.
 */
public final class DemoServer {
    private static final String NAME = "freetser-demo";
    private static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    private DemoServer() {
    }

    public static void main(String[] args) {
        // One carrier more than CPUs, before any virtual thread exists: JDK 25 queues a started thread
        // as outside work, which busy carriers take late; the spare one starts new connections at once.
        if (System.getProperty(PARALLELISM) == null) {
            System.setProperty(PARALLELISM, Integer.toString(Runtime.getRuntime().availableProcessors() + 1));
        }
        ConsoleLogging logs = ConsoleLogging.install();
        int code = run(args, System.out, System.err, logs::close);
        if (code != 0) {
            logs.close();
            System.exit(code);
        }
    }

    /**
     * Parses the flags, opens the database, starts the server, prints where it listens and blocks
     * until the shutdown hook (Ctrl-C, SIGTERM) has closed the server and then the database.
     *
     * @return 0 after {@code --help} or a shutdown, 2 for a bad flag or value (printed with the
     *     usage to {@code err}), 1 when the database or the address cannot be opened, or when the
     *     server stopped listening on its own
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, () -> { });
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}; the shutdown hook calls {@code last} at its end. */
    static int run(String[] args, PrintStream out, PrintStream err, Runnable last) {
        DemoOptions options;
        ServerConfig config;
        try {
            options = DemoOptions.parse(args);
            if (options.help()) {
                out.print(DemoOptions.USAGE);
                out.flush();
                return 0;
            }
            config = options.serverConfig();
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            err.println();
            err.print(DemoOptions.USAGE);
            err.flush();
            return 2;
        }
        Store store;
        try {
            store = Store.open(options.db(), DemoRoutes.TABLES, options.storageOptions());
        } catch (StorageException | IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            return 1;
        }
        Server server;
        try {
            server = Server.start(config, new DemoRoutes(), store);
        } catch (IOException e) {
            store.close();
            err.println(NAME + ": " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            store.close();
            out.println(NAME + " stopped, database closed");
            out.flush();
            last.run();
        }, "freetser-demo-shutdown"));
        out.println(NAME + " listening on " + describe(server.address()) + ", database " + describeDb(options.db()));
        out.flush();
        try {
            server.awaitShutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            err.println(NAME + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** {@code http://127.0.0.1:8000/}, {@code http://[::1]:8000/} or {@code unix:/tmp/demo.sock}. */
    static String describe(SocketAddress address) {
        return switch (address) {
            case InetSocketAddress tcp when tcp.getAddress() instanceof Inet6Address six ->
                    "http://[" + six.getHostAddress() + "]:" + tcp.getPort() + "/";
            case InetSocketAddress tcp -> "http://" + tcp.getHostString() + ":" + tcp.getPort() + "/";
            case UnixDomainSocketAddress unix -> "unix:" + unix.getPath();
            default -> address.toString();
        };
    }

    /** The database for the banner: a JDBC URL loses its query, which may hold a password. */
    private static String describeDb(String db) {
        if (db.startsWith("jdbc:")) {
            int query = db.indexOf('?');
            return query < 0 ? db : db.substring(0, query);
        }
        return db.equals(StorageQueue.MEMORY) ? "in memory (:memory:, lost at exit)" : Path.of(db).toAbsolutePath().toString();
    }
}
