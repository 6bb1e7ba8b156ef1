package dev.freetser.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of this test JVM: the one at {@code FREETSER_POSTGRES_URL} if set, else a
 * throwaway cluster that {@code scripts/postgres.sh start} makes in a temporary folder, stopped
 * and deleted at JVM exit. Each test gets a schema of its own. Without a server the tests are
 * skipped, or fail when {@code FREETSER_REQUIRE_POSTGRES=1} (as CI sets it).
 */
final class PostgresServer {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    /** The server's URL (an admin's: it may create schemas), or null with the reason in {@link #unavailable}. */
    private static String url;
    private static String unavailable;
    /** The throwaway cluster's folder, or null when the server is not ours. */
    private static Path dir;
    private static boolean started;

    private PostgresServer() {
    }

    /** A store's URL for one test: a new, empty schema; its backends are named {@link #applicationName}. */
    static String freshSchema() {
        String admin = url();
        String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        sql("CREATE SCHEMA " + schema);
        return admin + (admin.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&ApplicationName=" + schema;
    }

    /** The name a store's connections give the server (pg_stat_activity.application_name). */
    static String applicationName(String storeUrl) {
        return storeUrl.substring(storeUrl.lastIndexOf("ApplicationName=") + "ApplicationName=".length());
    }

    /** Whether the server is this JVM's own, to restart and reconfigure without disturbing anyone. */
    static boolean ours() {
        url();
        return dir != null;
    }

    static Connection admin() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** Runs statements over a new admin connection (auto-commit). */
    static void sql(String... statements) {
        try (Connection c = admin(); Statement statement = c.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PIDs of the backends of a store's URL, waiting on {@code waitEvent} if it is not null. */
    static List<Integer> backends(String storeUrl, String waitEvent) {
        try (Connection c = admin();
             PreparedStatement query = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?"
                     + " AND (?::text IS NULL OR wait_event = ?)")) {
            query.setString(1, applicationName(storeUrl));
            query.setString(2, waitEvent);
            query.setString(3, waitEvent);
            List<Integer> pids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    pids.add(rows.getInt(1));
                }
            }
            return pids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Terminates the backends (pg_terminate_backend) and waits until they are gone; returns how many. */
    static int terminate(List<Integer> pids, String storeUrl) {
        for (int pid : pids) {
            sql("SELECT pg_terminate_backend(" + pid + ")");
        }
        until(() -> backends(storeUrl, null).stream().noneMatch(pids::contains), "terminated backends gone");
        return pids.size();
    }

    /** Restarts the throwaway cluster (fast shutdown: open transactions abort) and waits until it accepts connections. */
    static void restart() throws IOException, InterruptedException {
        Assumptions.assumeTrue(ours(), "restarting needs the tests' own server, not FREETSER_POSTGRES_URL");
        // postmaster.opts holds the server's command line: its binary, its port; pg_ctl restart reuses it.
        String opts = Files.readString(dir.resolve("data/postmaster.opts"));
        String postgres = opts.substring(0, opts.indexOf(' '));
        Path pgCtl = Path.of(postgres.replace("\"", "")).resolveSibling("pg_ctl");
        run(asOwner(pgCtl.toString(), "restart", "-w", "-t", "60", "-m", "fast", "-s", "-D", dir.resolve("data").toString(),
                "-l", dir.resolve("log").toString()));
    }

    /** Polls {@code condition} every few milliseconds for up to 20 s; fails naming {@code what} if it never holds. */
    static void until(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("not within 20 s: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The server's URL, starting the server on first use (for {@link PostgresTestSession}, before
     * any test); null when there is none, and then {@link #whyUnavailable()} says why.
     */
    static synchronized String serverUrl() {
        if (!started) {
            started = true;
            String given = System.getenv("FREETSER_POSTGRES_URL");
            if (given != null && !given.isBlank()) {
                url = given;
            } else {
                start();
            }
        }
        return url;
    }

    /** Why there is no server, and what to do about it. */
    static synchronized String whyUnavailable() {
        return "no PostgreSQL server for the tests (" + unavailable + "): set FREETSER_POSTGRES_URL="
                + "jdbc:postgresql://HOST:PORT/DB?user=USER, or install PostgreSQL (scripts/postgres.sh install)";
    }

    private static synchronized String url() {
        if (serverUrl() == null) {
            String message = whyUnavailable();
            if ("1".equals(System.getenv("FREETSER_REQUIRE_POSTGRES"))) {
                fail(message + "; FREETSER_REQUIRE_POSTGRES=1 requires it");
            }
            Assumptions.abort(message);
        }
        return url;
    }

    private static void start() {
        Path script = script();
        if (script == null) {
            unavailable = "scripts/postgres.sh not found above " + Path.of("").toAbsolutePath();
            return;
        }
        try {
            dir = Files.createTempDirectory("pg");
            Runtime.getRuntime().addShutdownHook(new Thread(PostgresServer::stop));
            List<String> out = run(List.of("bash", script.toString(), "start", dir.toString()));
            if (out.isEmpty()) {
                throw new IOException("scripts/postgres.sh start printed no URL");
            }
            url = out.get(out.size() - 1).trim();
        } catch (IOException | InterruptedException | RuntimeException e) {
            unavailable = e.getMessage();
            stop();
            dir = null;
        }
    }

    private static void stop() {
        Path d = dir;
        Path script = script();
        if (d != null && script != null) {
            try {
                run(List.of("bash", script.toString(), "stop", d.toString()));
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("could not stop the test PostgreSQL server in " + d + ": " + e.getMessage());
            }
        }
    }

    private static Path script() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path script = p.resolve("scripts/postgres.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        return null;
    }

    /** initdb and pg_ctl refuse to run as root: then they run as the postgres user, as the script does. */
    private static List<String> asOwner(String... command) {
        List<String> line = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        return line;
    }

    /** Runs a command (2 minutes at most); returns what it printed, or throws with that if it failed. */
    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("pg-command", ".out");
        Path err = Files.createTempFile("pg-command", ".err");
        try {
            // From the temporary folder: the postgres user may not enter the build's working directory.
            Process process = new ProcessBuilder(command).directory(new File(System.getProperty("java.io.tmpdir")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean exited = process.waitFor(2, TimeUnit.MINUTES);
            if (!exited) {
                process.destroyForcibly();
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            if (!exited || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + Files.readString(err).strip());
            }
            return lines;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
