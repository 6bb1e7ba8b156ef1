package dev.freetser.storage;

import static dev.freetser.Polling.until;
import static dev.freetser.storage.Stores.bytes;
import static dev.freetser.storage.Stores.enqueue;
import static dev.freetser.storage.Stores.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.storage.Stores.Blocker;
import dev.freetser.storage.Stores.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the storage queue opens, names and checkpoints a SQLite file: its PRAGMAs, its folder, its
 * path in the log, its tables' shape, its write-ahead log. SQLite only; the engine-neutral
 * behaviour of the queue is {@link StorageQueueTest}.
 */
@Timeout(20)
class SqliteStorageQueueTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsOpenedWithTheDocumentedPragmasAndKeepsItsDataAcrossReopen() throws SQLException {
        try (StorageQueue store = Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS")) {
            assertEquals(List.of("wal", "1", "-65536", "500", "10000"),
                    pragmas(store, "journal_mode", "synchronous", "cache_size", "busy_timeout", "wal_autocheckpoint"));
            store.execute(s -> add(s, "ada", "kept"));
        }
        StorageOptions full = StorageOptions.defaults().withDurability(Durability.FULL)
                .withSqlite(SqliteOptions.defaults().withCheckpointPages(500));
        try (StorageQueue store = Stores.open(Kind.FILE, dir, full, "USERS", "SESSIONS")) {
            assertEquals(List.of("2", "500"), pragmas(store, "synchronous", "wal_autocheckpoint"));
            assertEquals("kept", text(store.execute(s -> s.get("USERS", "ada")).orElseThrow()));
        }
    }

    @Test
    void aMissingFolderFailsAtOnceNamingIt() {
        Path missing = dir.resolve("no-such-folder");
        StorageException e = assertThrows(StorageException.class,
                () -> StorageQueue.open(missing.resolve("app.db"), List.of("USERS")));
        assertEquals("cannot open database " + missing.resolve("app.db") + ": folder " + missing + " does not exist", e.getMessage());
    }

    @Test
    void openLogsTheAbsolutePathInUse() {
        Logger logger = Logger.getLogger(StorageQueue.class.getName());
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getParameters() == null ? record.getMessage()
                        : MessageFormat.format(record.getMessage(), record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (StorageQueue store = StorageQueue.open(dir.resolve("sub/../app.db").toString(), List.of("USERS"))) {
            assertEquals("storage open: " + dir.toAbsolutePath().resolve("app.db")
                    + " (NORMAL durability, group commit up to 1024, " + StorageOptions.defaults().readThreads()
                    + " read threads)", lines.getFirst());
            assertEquals("StorageQueue[" + dir.toAbsolutePath().resolve("app.db") + "]", store.toString());
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void aTableWithAnotherShapeFailsAtOpen() throws SQLException {
        Path file = dir.resolve("other.db");
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE USERS (name TEXT)");
        }
        StorageException e = assertThrows(StorageException.class, () -> StorageQueue.open(file, List.of("USERS")));
        assertTrue(e.getMessage().startsWith("opening " + file + " failed: [SQLITE_ERROR]"), e.getMessage());
        assertEquals(1, e.code());
    }

    @Test
    void aCommitIsCopiedIntoTheDatabaseFileOneCheckpointIntervalLater() throws Exception {
        Path file = dir.resolve("test.db");
        Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS").close(); // the table, checkpointed at close
        StorageOptions never = StorageOptions.defaults().withSqlite(new SqliteOptions(10_000, Duration.ZERO));
        try (StorageQueue store = Stores.open(Kind.FILE, dir, never, "USERS")) {
            store.execute(s -> add(s, "ada", "x"));
            assertEquals(List.of(), keysInTheFileAlone(file)); // in the log only
            assertEquals(0, store.stats().checkpoints());
        }
        StorageOptions soon = StorageOptions.defaults().withSqlite(new SqliteOptions(10_000, Duration.ofMillis(1)));
        try (StorageQueue store = Stores.open(Kind.FILE, dir, soon, "USERS")) {
            store.execute(s -> add(s, "bob", "x"));
            // The background checkpoint runs once the interval has passed.
            until(() -> store.stats().checkpoints() > 0, "a timed checkpoint");
            assertEquals(List.of("ada", "bob"), keysInTheFileAlone(file));
            assertEquals(1, store.stats().checkpoints()); // nothing committed since: no second one
        }
    }

    @Test
    void theTimedCheckpointRunsWhileTheStorageThreadIsBusy() throws Exception {
        Path file = dir.resolve("test.db");
        Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS").close(); // the table, checkpointed at close
        StorageOptions soon = StorageOptions.defaults().withSqlite(new SqliteOptions(10_000, Duration.ofMillis(1)))
                .withGroupCommit(false);
        try (StorageQueue store = Stores.open(Kind.FILE, dir, soon, "USERS")) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Void> hold;
            try (Blocker blocker = new Blocker(store)) {
                enqueue(store, s -> add(s, "ada", "x"));
                hold = enqueue(store, s -> {
                    holding.countDown();
                    Stores.awaitLatch(release);
                    return null;
                });
            }
            // One batch: "ada" commits in its own transaction, then the next routine holds the
            // storage thread, with no moment between them for the storage thread to checkpoint.
            try {
                holding.await();
                until(() -> store.stats().checkpoints() > 0 && fileAloneHolds(file, List.of("ada")),
                        "ada copied into the file while the storage thread is held");
            } finally {
                release.countDown();
            }
            hold.get();
        }
    }

    /** Whether a copy of the file alone holds exactly these keys; false while a checkpoint tears the copy. */
    private boolean fileAloneHolds(Path file, List<String> keys) {
        try {
            return keysInTheFileAlone(file).equals(keys);
        } catch (IOException | SQLException e) {
            return false;
        }
    }

    /** The keys a copy of the database file holds without its write-ahead log. */
    private List<String> keysInTheFileAlone(Path file) throws IOException, SQLException {
        Path alone = dir.resolve("alone.db");
        Files.copy(file, alone, StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + alone);
             Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery("SELECT key FROM USERS ORDER BY key")) {
            List<String> keys = new ArrayList<>();
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
            return keys;
        } finally {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(dir.resolve("alone.db" + suffix));
            }
        }
    }

    private static List<String> pragmas(StorageQueue store, String... names) {
        return store.execute(s -> {
            List<String> values = new ArrayList<>();
            try (Statement statement = ((SqliteStorage) s).connection().createStatement()) {
                for (String name : names) {
                    try (var row = statement.executeQuery("PRAGMA " + name)) {
                        values.add(row.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return values;
        });
    }

    private static Void add(Storage s, String key, String value) {
        s.add("USERS", key, bytes(value), 0);
        return null;
    }
}
