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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The storage thread: transactions, group commit, failures, concurrency, backpressure, TTL, close,
 * on every kind of store ({@link Stores#kinds()}); how SQLite opens and checkpoints its file is
 * {@link SqliteStorageQueueTest}.
 */
@Timeout(20)
class StorageQueueTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void routineRunsOnThePlatformStorageThreadAndItsResultComesBack(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            assertEquals("freetser-storage false", store.execute(s -> {
                Thread thread = Thread.currentThread();
                return thread.getName() + " " + thread.isVirtual();
            }));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
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

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void anErrorInARoutineDoesNotStopTheStorageThread(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            StackOverflowError thrown = new StackOverflowError("deep");
            assertSame(thrown, assertThrows(StackOverflowError.class, () -> store.execute(s -> {
                throw thrown;
            })));
            assertEquals("still running", store.execute(s -> "still running"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void aCheckedExceptionSneakedOutOfARoutineIsWrapped(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            IOException thrown = new IOException("disk on fire");
            StorageException e = assertThrows(StorageException.class, () -> store.execute(s -> sneakyThrow(thrown)));
            assertEquals("the routine threw a checked exception", e.getMessage());
            assertSame(thrown, e.getCause());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
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

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void optimisticUpdateAcrossTwoRoutinesDetectsAConflict(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            store.execute(s -> add(s, "ada", "v0"));
            Entry seen = store.execute(s -> s.get("USERS", "ada")).orElseThrow();
            assertEquals(true, store.execute(s -> s.update("USERS", "ada", bytes("theirs"), seen.counter(), 0)));
            assertEquals(false, store.execute(s -> s.update("USERS", "ada", bytes("mine"), seen.counter(), 0)));
            assertEquals(new Entry(bytes("theirs"), 1, 0), store.execute(s -> s.get("USERS", "ada")).orElseThrow());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
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
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void afterCloseEveryCallFailsAtOnceAndCloseIsIdempotent(Kind kind) {
        StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS");
        store.close();
        store.close();
        assertEquals("the storage queue is closed", assertThrows(StorageException.class, () -> store.execute(s -> 1)).getMessage());
        assertEquals("the storage queue is closed", assertThrows(StorageException.class, () -> store.read(s -> 1)).getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#lastingKinds")
    void closeRunsTheQueuedRoutinesThenCheckpointsAndClosesTheFile(Kind kind) throws Exception {
        StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS");
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
        if (kind == Kind.FILE) { // SQLite only: its write-ahead log, which PostgreSQL does not have
            Path wal = dir.resolve("test.db-wal");
            assertTrue(!wal.toFile().exists() || wal.toFile().length() == 0, "the log was checkpointed into the file");
        }
        try (StorageQueue reopened = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            assertEquals(List.of("a", "b", "c", "d"), reopened.execute(s -> s.listKeys("USERS")));
        }
    }

    /** Callers racing close(): each call either committed (and its key is stored) or failed as closed; none hangs. */
    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#lastingKinds")
    void callsRacingCloseEitherCommitOrFailAsClosed(Kind kind) throws Exception {
        StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS");
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
        try (StorageQueue reopened = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            assertEquals(committed, new HashSet<>(reopened.execute(s -> s.listKeys("USERS"))));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void aFullQueueRefusesAtOnceWithStorageBusyException(Kind kind) throws Exception {
        StorageOptions options = StorageOptions.defaults().withQueueCapacity(2);
        try (StorageQueue store = Stores.open(kind, dir, options, "USERS")) {
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

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void tableNamesAreCheckedAtOpen(Kind kind) {
        List<List<String>> bad = List.of(List.of(), List.of("1USERS"), List.of("USERS-2"), List.of("USERS; DROP TABLE x"),
                List.of(""), List.of("USERS", "users"), List.of("sqlite_master"), List.of("Ünicode"));
        String location = Stores.location(kind, dir);
        List<String> messages = new ArrayList<>();
        for (List<String> tables : bad) {
            messages.add(assertThrows(IllegalArgumentException.class, () -> Store.open(location, tables)).getMessage());
        }
        String invalid = "invalid table name: it must match [A-Za-z_][A-Za-z0-9_]*";
        assertEquals(List.of("at least one table is needed", invalid, invalid, invalid, invalid,
                "table users is given twice (names ignore case)",
                "table name sqlite_master is reserved: SQLite owns names starting with sqlite_", invalid), messages);
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void idlePurgeDeletesOnlyExpiredEntries(Kind kind) {
        StorageOptions options = StorageOptions.defaults().withPurgeInterval(Duration.ofMillis(1));
        try (StorageQueue store = Stores.open(kind, dir, options, "SESSIONS")) {
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

    private static Void add(Storage s, String key, String value) {
        s.add("USERS", key, bytes(value), 0);
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> Void sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
