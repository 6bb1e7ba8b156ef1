package dev.freetser.storage;

import dev.freetser.Polling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Opening stores for tests, and holding the storage thread still so routines queue behind it.
 *
 * <p>The contract tests (StorageTest, ListKeysTest, GroupCommitTest, ReadTest, StorageQueueTest)
 * run on every {@link #kinds()}: SQLite's in core, PostgreSQL's in the postgres module, which runs
 * them from core's test jar with {@code FREETSER_TEST_ENGINE=postgres}. The Sqlite* tests and the
 * others that need SQLite itself (its SQL, files, PRAGMAs, result codes) run in core only.
 */
final class Stores {
    /** Where a test store lives: all must behave the same. */
    enum Kind { MEMORY, FILE, POSTGRES }

    /** The system property with the admin URL of the tests' PostgreSQL server, set by the postgres module's tests. */
    static final String POSTGRES_URL = "freetser.test.postgres.url";

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    /** A test's PostgreSQL store, by its temporary folder: reopening in the same test finds the same schema. */
    private static final Map<Path, String> SCHEMA_URLS = new ConcurrentHashMap<>();

    private Stores() {
    }

    /** The kinds of store the contract tests run on: PostgreSQL when {@code FREETSER_TEST_ENGINE=postgres}, else SQLite's two. */
    static List<Kind> kinds() {
        return "postgres".equals(System.getenv("FREETSER_TEST_ENGINE")) ? List.of(Kind.POSTGRES) : List.of(Kind.MEMORY, Kind.FILE);
    }

    /** The kinds of {@link #kinds()} whose data outlives a close and whose reads run on read threads: not {@code :memory:}. */
    static List<Kind> lastingKinds() {
        return kinds().stream().filter(kind -> kind != Kind.MEMORY).toList();
    }

    static StorageQueue open(Kind kind, Path dir, StorageOptions options, String... tables) {
        return (StorageQueue) Store.open(location(kind, dir), List.of(tables), options);
    }

    /**
     * Where the test's store of this kind lives: {@code :memory:}, a file in {@code dir}, or a
     * PostgreSQL schema made for {@code dir} on first use (so each test starts empty, and one
     * that reopens its store finds its data). Without a PostgreSQL server the test is skipped, or
     * fails when {@code FREETSER_REQUIRE_POSTGRES=1}.
     */
    static String location(Kind kind, Path dir) {
        return switch (kind) {
            case MEMORY -> StorageQueue.MEMORY;
            case FILE -> dir.resolve("test.db").toString();
            case POSTGRES -> SCHEMA_URLS.computeIfAbsent(dir.toAbsolutePath(), d -> freshSchema());
        };
    }

    private static String freshSchema() {
        String admin = System.getProperty(POSTGRES_URL);
        if (admin == null) {
            String message = "no PostgreSQL server for the tests (system property " + POSTGRES_URL
                    + " unset: the postgres module's tests start one with scripts/postgres.sh)";
            if ("1".equals(System.getenv("FREETSER_REQUIRE_POSTGRES"))) {
                Assertions.fail(message + "; FREETSER_REQUIRE_POSTGRES=1 requires it");
            }
            Assumptions.abort(message);
        }
        String schema = "contract_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(admin); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema + " on the tests' PostgreSQL server", e);
        }
        return admin + (admin.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Entry entry) {
        return new String(entry.value(), StandardCharsets.UTF_8);
    }

    /** Runs SQL on the storage thread's own connection, to stage failures the Storage API cannot cause. */
    static Void sql(Storage s, String... statements) {
        try (Statement statement = ((SqliteStorage) s).connection().createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
            return null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database's size in pages: {@code PRAGMA max_page_count} at this value leaves no room. */
    static int pageCount(Storage s) {
        try (Statement statement = ((SqliteStorage) s).connection().createStatement();
             ResultSet row = statement.executeQuery("PRAGMA page_count")) {
            return row.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code execute} of the routine on a new virtual thread; the future holds its outcome. */
    static <T> Future<T> executeAsync(StorageQueue store, Routine<T> routine) {
        FutureTask<T> task = new FutureTask<>(() -> store.execute(routine));
        Thread.ofVirtual().start(task);
        return task;
    }

    /**
     * Starts {@code execute} of the routine on a new virtual thread and returns once the routine
     * waits in the queue, so that queue order is call order.
     */
    static <T> Future<T> enqueue(StorageQueue store, Routine<T> routine) {
        int queued = store.stats().queued();
        Future<T> result = executeAsync(store, routine);
        awaitQueued(store, queued + 1);
        return result;
    }

    /** Waits until {@code count} routines wait for the storage thread (stats are the only signal). */
    static void awaitQueued(StorageQueue store, int count) {
        Polling.until(() -> store.stats().queued() >= count, count + " routines queued");
    }

    /** Waits for the latch inside a routine, which cannot throw InterruptedException. */
    static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A routine that holds the storage thread until released, so that routines submitted
     * meanwhile queue up and are then taken as one batch.
     */
    static final class Blocker implements AutoCloseable {
        private final CountDownLatch running = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Future<Void> done;

        Blocker(StorageQueue store) throws InterruptedException {
            done = executeAsync(store, s -> {
                running.countDown();
                awaitLatch(release);
                return null;
            });
            running.await();
        }

        /** Lets the storage thread go on and waits for the blocking routine to commit. */
        @Override
        public void close() throws Exception {
            release.countDown();
            done.get();
        }
    }
}
