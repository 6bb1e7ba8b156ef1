package dev.freetser.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.freetser.Request;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The baseline of {@code bench/pg.sh}: the demo's {@code /stress-test/{id}} and {@code /plaintext}
 * with the same answers, byte for byte, on freetser's HTTP server, but with storage written the
 * usual way: a HikariCP pool and one JDBC transaction per request at PostgreSQL's default isolation
 * (READ COMMITTED), plain SQL on the {@code items} table laid out as the PostgreSQL engine lays it
 * out. No queue, no group commit: each request commits on its own connection.
 *
 * <p>POST reads the row with {@code SELECT ... FOR UPDATE}, the usual way to read and then write
 * one row: a second writer of the same key waits for the first to commit, then reads its counter,
 * so the {@code UPDATE ... WHERE counter = ?} always applies and no request is answered 409. A key
 * created meanwhile by another request ({@code INSERT ... ON CONFLICT DO NOTHING} inserts nothing)
 * is read again in the same transaction: under READ COMMITTED each statement sees the latest
 * commits. The baseline writes no expiring entries and so skips the demo's expiry checks.
 *
 * <pre>java -cp CLASSPATH dev.freetser.bench.BaselineServer --port P --db jdbc:postgresql://...
 *     [--durability normal|full] [--pool N]</pre>
 * {@code normal} sets {@code synchronous_commit = off} on every pooled connection, {@code full} on.
 */
public final class BaselineServer {
    private static final String PREFIX = "/stress-test/";
    private static final Response PLAINTEXT = Response.text("Hello, World!");

    private final HikariDataSource pool;

    private BaselineServer(HikariDataSource pool) {
        this.pool = pool;
    }

    public static void main(String[] args) throws Exception {
        // As the demo: one carrier thread more than CPUs.
        System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(Runtime.getRuntime().availableProcessors() + 1));
        int port = 8000;
        int poolSize = 10;
        String db = null;
        String durability = "normal";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--db" -> db = args[i + 1];
                case "--durability" -> durability = args[i + 1];
                case "--pool" -> poolSize = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (db == null || args.length % 2 != 0 || !(durability.equals("normal") || durability.equals("full"))) {
            System.err.println("usage: BaselineServer --db jdbc:postgresql://... [--port P] [--durability normal|full] [--pool N]");
            System.exit(2);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db);
        config.setMaximumPoolSize(poolSize);
        config.setAutoCommit(false);
        config.setConnectionInitSql("SET synchronous_commit = " + (durability.equals("full") ? "on" : "off"));
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS \"items\" (key text COLLATE \"C\" PRIMARY KEY,"
                    + " counter bigint NOT NULL, expiration bigint NOT NULL, value bytea NOT NULL)");
            c.commit();
        }
        BaselineServer baseline = new BaselineServer(pool);
        Server server = Server.start(ServerConfig.tcp("127.0.0.1", port), (request, store) -> baseline.handle(request));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            pool.close();
        }));
        System.out.println("baseline listening on http://127.0.0.1:" + server.port() + "/, durability " + durability
                + ", pool " + poolSize);
        server.awaitShutdown();
    }

    private Response handle(Request request) throws SQLException {
        String path = request.path();
        if (path.equals("/plaintext") && request.method().equals("GET")) {
            return PLAINTEXT;
        }
        if (path.startsWith(PREFIX) && path.length() > PREFIX.length() && path.indexOf('/', PREFIX.length()) < 0) {
            String id = path.substring(PREFIX.length());
            switch (request.method()) {
                case "GET" -> {
                    return Response.text(getOrCreate(id));
                }
                case "POST" -> {
                    byte[] body = request.body();
                    return createOrUpdate(id, body.length == 0 ? defaultValue(id) : body);
                }
                default -> { }
            }
        }
        return Response.text("Not found\n", 404);
    }

    /** GET: the row's counter, or a new row; one transaction. */
    private String getOrCreate(String id) throws SQLException {
        try (Connection c = pool.getConnection()) {
            try {
                while (true) {
                    Long counter = counter(c, id, "");
                    if (counter != null) {
                        c.commit();
                        return "Found: " + id + ", counter=" + counter + "\n";
                    }
                    if (insert(c, id, defaultValue(id))) {
                        c.commit();
                        return "Created: " + id + "\n";
                    }
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** POST: create, or update at the counter read under a row lock; one transaction. */
    private Response createOrUpdate(String id, byte[] value) throws SQLException {
        try (Connection c = pool.getConnection()) {
            try {
                while (true) {
                    Long counter = counter(c, id, " FOR UPDATE");
                    if (counter == null && insert(c, id, value)) {
                        c.commit();
                        return Response.text("Created: " + id + "\n");
                    }
                    if (counter != null) {
                        try (PreparedStatement p = c.prepareStatement(
                                "UPDATE \"items\" SET value = ?, counter = counter + 1 WHERE key = ? AND counter = ?")) {
                            p.setBytes(1, value);
                            p.setString(2, id);
                            p.setLong(3, counter);
                            int updated = p.executeUpdate();
                            c.commit();
                            return updated == 1 ? Response.text("Updated: " + id + "\n")
                                    : Response.text("Update conflict: " + id + "\n", 409);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static Long counter(Connection c, String id, String lock) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT counter FROM \"items\" WHERE key = ?" + lock)) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    /** Whether the row was inserted: false when another transaction created the key first. */
    private static boolean insert(Connection c, String id, byte[] value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO \"items\" (key, counter, expiration, value) VALUES (?, 0, 0, ?) ON CONFLICT DO NOTHING")) {
            p.setString(1, id);
            p.setBytes(2, value);
            return p.executeUpdate() == 1;
        }
    }

    private static byte[] defaultValue(String id) {
        return ("item-" + id).getBytes(StandardCharsets.UTF_8);
    }
}
