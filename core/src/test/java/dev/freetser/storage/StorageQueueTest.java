package dev.freetser.storage;

import static dev.freetser.Polling.until;
import static dev.freetser.storage.Stores.bytes;
import static dev.freetser.storage.Stores.enqueue;
import static dev.freetser.storage.Stores.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The storage thread: transactions, group commit, failures, concurrency, backpressure, close. */
@Timeout(20)
class StorageQueueTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void routineRunsOnThePlatformStorageThreadAndItsResultComesBack(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            assertEquals("freetser-storage false", store.execute(s -> {
                Thread thread = Thread.currentThread();
                return thread.getName() + " " + thread.isVirtual();
            }));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void routineExceptionReachesTheCallerUnchangedAndLeavesNoTrace(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            IllegalStateException thrown = new IllegalStateException("application says no");
            IllegalStateException caught = assertThrows(IllegalStateException.class, () -> store.execute(s -> {
                add(s, "ada", "x");
                throw thrown;
            }));
            assertSame(thrown, caught);
            assertEquals(Optional.empty(), store.execute(s -> s.get("USERS", "ada")));
        }
    }

    @Test
    void anErrorInARoutineDoesNotStopTheStorageThread() {
        try (StorageQueue store = StorageQueue.open(StorageQueue.MEMORY, List.of("USERS"))) {
            StackOverflowError thrown = new StackOverflowError("deep");
            assertSame(thrown, assertThrows(StackOverflowError.class, () -> store.execute(s -> {
                throw thrown;
            })));
            assertEquals("still running", store.execute(s -> "still running"));
        }
    }

    @Test
    void aCheckedExceptionSneakedOutOfARoutineIsWrapped() {
        try (StorageQueue store = StorageQueue.open(StorageQueue.MEMORY, List.of("USERS"))) {
            IOException thrown = new IOException("disk on fire");
            StorageException e = assertThrows(StorageException.class, () -> store.execute(s -> sneakyThrow(thrown)));
            assertEquals("the routine threw a checked exception", e.getMessage());
            assertSame(thrown, e.getCause());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoHundredVirtualThreadsIncrementingOneCounterEndWithTheExactCount(Kind kind) throws Exception {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "COUNTERS")) {
            store.execute(s -> {
                s.add("COUNTERS", "hits", bytes("0"), 0);
                return null;
            });
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    results.add(threads.submit(() -> store.execute(s -> {
                        Entry hits = s.get("COUNTERS", "hits").orElseThrow();
                        long next = Long.parseLong(text(hits)) + 1;
                        return s.update("COUNTERS", "hits", bytes(Long.toString(next)), hits.counter(), 0);
                    })));
                }
                for (Future<Boolean> result : results) {
                    assertTrue(result.get());
                }
            }
            assertEquals(new Entry(bytes("200"), 200, 0), store.execute(s -> s.get("COUNTERS", "hits")).orElseThrow());
        }
    }

    @Test
    void optimisticUpdateAcrossTwoRoutinesDetectsAConflict() {
        try (StorageQueue store = StorageQueue.open(StorageQueue.MEMORY, List.of("USERS"))) {
            store.execute(s -> add(s, "ada", "v0"));
            Entry seen = store.execute(s -> s.get("USERS", "ada")).orElseThrow();
            assertEquals(true, store.execute(s -> s.update("USERS", "ada", bytes("theirs"), seen.counter(), 0)));
            assertEquals(false, store.execute(s -> s.update("USERS", "ada", bytes("mine"), seen.counter(), 0)));
            assertEquals(new Entry(bytes("theirs"), 1, 0), store.execute(s -> s.get("USERS", "ada")).orElseThrow());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void callingTheQueueFromInsideARoutineFailsAtOnce(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            List<Routine<?>> reentrant = List.of(
                    s -> store.execute(t -> 1), s -> store.read(t -> 1), s -> {
                        store.close();
                        return null;
                    });
            for (Routine<?> routine : reentrant) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.execute(routine));
                assertTrue(e.getMessage().contains("from inside a routine"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> store.read(routine));
            }
            assertEquals("alive", store.execute(s -> "alive"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void afterCloseEveryCallFailsAtOnceAndCloseIsIdempotent(Kind kind) {
        StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS");
        store.close();
        store.close();
        assertEquals("the storage queue is closed", assertThrows(StorageException.class, () -> store.execute(s -> 1)).getMessage());
        assertEquals("the storage queue is closed", assertThrows(StorageException.class, () -> store.read(s -> 1)).getMessage());
    }

    @Test
    void closeRunsTheQueuedRoutinesThenCheckpointsAndClosesTheFile() throws Exception {
        StorageQueue store = Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS");
        List<Future<Void>> results = new ArrayList<>();
        Thread closer;
        try (Blocker blocker = new Blocker(store)) {
            for (String key : List.of("a", "b", "c", "d")) {
                results.add(enqueue(store, s -> add(s, key, "x")));
            }
            closer = Thread.ofVirtual().start(store::close);
            while (closer.getState() != Thread.State.WAITING) {
                Thread.yield(); // close() has set "closed" before it waits for the storage thread
            }
            assertThrows(StorageException.class, () -> store.execute(s -> add(s, "late", "x")));
        }
        for (Future<Void> result : results) {
            result.get();
        }
        closer.join();
        Path wal = dir.resolve("test.db-wal");
        assertTrue(!wal.toFile().exists() || wal.toFile().length() == 0, "the log was checkpointed into the file");
        try (StorageQueue reopened = Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS")) {
            assertEquals(List.of("a", "b", "c", "d"), reopened.execute(s -> s.listKeys("USERS")));
        }
    }

    /** Callers racing close(): each call either committed (and its key is stored) or failed as closed; none hangs. */
    @Test
    void callsRacingCloseEitherCommitOrFailAsClosed() throws Exception {
        StorageQueue store = Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS");
        Set<String> committed = ConcurrentHashMap.newKeySet();
        CountDownLatch running = new CountDownLatch(50);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            String prefix = "t" + t + "-";
            callers.add(Thread.ofVirtual().start(() -> {
                running.countDown();
                for (int i = 0; ; i++) {
                    String key = prefix + i;
                    try {
                        store.execute(s -> add(s, key, "x"));
                        committed.add(key);
                    } catch (StorageException e) {
                        assertEquals("the storage queue is closed", e.getMessage());
                        return;
                    }
                }
            }));
        }
        running.await();
        store.close();
        for (Thread caller : callers) {
            caller.join();
        }
        try (StorageQueue reopened = Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS")) {
            assertEquals(committed, new HashSet<>(reopened.execute(s -> s.listKeys("USERS"))));
        }
    }

    @Test
    void aFullQueueRefusesAtOnceWithStorageBusyException() throws Exception {
        StorageOptions options = StorageOptions.defaults().withQueueCapacity(2);
        try (StorageQueue store = Stores.open(Kind.MEMORY, dir, options, "USERS")) {
            List<Future<Void>> results = new ArrayList<>();
            try (Blocker blocker = new Blocker(store)) {
                results.add(enqueue(store, s -> add(s, "a", "x")));
                results.add(enqueue(store, s -> add(s, "b", "x")));
                StorageBusyException e = assertThrows(StorageBusyException.class, () -> store.execute(s -> add(s, "c", "x")));
                assertEquals("storage is busy: 2 routines are already waiting", e.getMessage());
                assertEquals(1, store.stats().rejected());
            }
            for (Future<Void> result : results) {
                result.get();
            }
            assertEquals(List.of("a", "b"), store.execute(s -> s.listKeys("USERS")));
        }
    }

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
    void tableNamesAreCheckedAtOpen() {
        List<List<String>> bad = List.of(List.of(), List.of("1USERS"), List.of("USERS-2"), List.of("USERS; DROP TABLE x"),
                List.of(""), List.of("USERS", "users"), List.of("sqlite_master"), List.of("Ünicode"));
        List<String> messages = new ArrayList<>();
        for (List<String> tables : bad) {
            messages.add(assertThrows(IllegalArgumentException.class, () -> StorageQueue.open(StorageQueue.MEMORY, tables)).getMessage());
        }
        String invalid = "invalid table name: it must match [A-Za-z_][A-Za-z0-9_]*";
        assertEquals(List.of("at least one table is needed", invalid, invalid, invalid, invalid,
                "table users is given twice (names ignore case)",
                "table name sqlite_master is reserved: SQLite owns names starting with sqlite_", invalid), messages);
    }

    @Test
    void idlePurgeDeletesOnlyExpiredEntries() {
        StorageOptions options = StorageOptions.defaults().withPurgeInterval(Duration.ofMillis(1));
        try (StorageQueue store = Stores.open(Kind.FILE, dir, options, "SESSIONS")) {
            long future = System.currentTimeMillis() / 1000 + 3600;
            store.execute(s -> {
                for (int i = 0; i < 600; i++) {
                    s.add("SESSIONS", "old" + i, bytes("x"), 1);
                }
                s.add("SESSIONS", "live", bytes("x"), future);
                s.add("SESSIONS", "forever", bytes("x"), 0);
                return null;
            });
            // The purge runs on the storage thread whenever its queue is idle.
            until(() -> store.stats().purged() >= 600, "600 expired entries purged");
            assertEquals(List.of("forever", "live"), store.read(s -> s.listKeys("SESSIONS")));
            assertEquals(600, store.stats().purged());
        }
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

    private static Void add(Storage s, String key, String value) {
        s.add("USERS", key, bytes(value), 0);
        return null;
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

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> Void sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
