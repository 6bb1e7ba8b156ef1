package dev.freetser.storage;

import static dev.freetser.storage.Stores.bytes;
import static dev.freetser.storage.Stores.awaitQueued;
import static dev.freetser.storage.Stores.enqueue;
import static dev.freetser.storage.Stores.executeAsync;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.freetser.storage.Stores.Blocker;
import dev.freetser.storage.Stores.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Group commit and what fails with it, on every kind of store ({@link Stores#kinds()}); SQLite's
 * own failures of a batch are in {@link SqliteGroupCommitTest}. Each test holds the storage thread
 * with a {@link Blocker} while routines queue, so they are taken as one batch in a known order.
 */
@Timeout(20)
class GroupCommitTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void inABatchAFailingRoutineRollsBackOnlyItself(Kind kind) throws Exception {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            StorageStats before = store.stats();
            List<Future<String>> results = new ArrayList<>();
            try (Blocker blocker = new Blocker(store)) {
                results.add(enqueue(store, s -> add(s, "first", "1") + "ok"));
                results.add(enqueue(store, s -> {
                    add(s, "second", "2");
                    throw new IllegalArgumentException("second fails");
                }));
                results.add(enqueue(store, s -> add(s, "third", "3") + "ok"));
            }
            assertEquals("nullok", results.get(0).get());
            ExecutionException failed = assertThrows(ExecutionException.class, () -> results.get(1).get());
            assertEquals("second fails", failed.getCause().getMessage());
            assertEquals("nullok", results.get(2).get());
            StorageStats after = store.stats();
            assertEquals(4, after.routines() - before.routines());
            assertEquals(2, after.batches() - before.batches(), "the blocker, then the three queued routines as one batch");
            if (kind == Kind.POSTGRES) {
                // No savepoints on PostgreSQL: a routine that throws after a change has the batch rerun one routine per transaction.
                assertEquals(2, after.retries() - before.retries(), "the first two ran again; the third had not run yet");
                assertEquals(1 + 2, after.commits() - before.commits());
            } else {
                assertEquals(2, after.commits() - before.commits());
            }
            assertEquals(List.of("first", "third"), store.execute(s -> s.listKeys("USERS")));
        }
    }

    /**
     * A routine's savepoint opens at its first change: one that fails having only read leaves
     * nothing behind, one that fails after a refused and then a successful write loses all of
     * its writes, and the routines around them keep theirs.
     */
    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void routinesThatReadOrFailAfterAFailedWriteRollBackOnlyThemselves(Kind kind) throws Exception {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            List<Future<Long>> results = new ArrayList<>();
            try (Blocker blocker = new Blocker(store)) {
                results.add(enqueue(store, s -> {
                    add(s, "first", "1");
                    return 0L;
                }));
                results.add(enqueue(store, s -> {
                    s.get("USERS", "first").orElseThrow();
                    throw new IllegalStateException("fails after reading");
                }));
                results.add(enqueue(store, s -> {
                    add(s, "x", "x");
                    assertThrows(EntryAlreadyExistsException.class, () -> add(s, "first", "again"));
                    add(s, "y", "y");
                    throw new IllegalStateException("fails after writing");
                }));
                results.add(enqueue(store, s -> s.update("USERS", "first", bytes("2"), 0, 0) ? 1L : -1L));
                results.add(enqueue(store, s -> s.get("USERS", "first").orElseThrow().counter()));
            }
            assertEquals(0L, results.get(0).get());
            assertEquals("fails after reading", assertThrows(ExecutionException.class, results.get(1)::get).getCause().getMessage());
            assertEquals("fails after writing", assertThrows(ExecutionException.class, results.get(2)::get).getCause().getMessage());
            assertEquals(1L, results.get(3).get());
            assertEquals(1L, results.get(4).get());
            assertEquals(List.of("first"), store.execute(s -> s.listKeys("USERS")));
            byte[] value = store.execute(s -> s.get("USERS", "first").orElseThrow().value());
            assertEquals("2", new String(value, StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void withoutGroupCommitEveryRoutineHasItsOwnTransaction(Kind kind) throws Exception {
        StorageOptions options = StorageOptions.defaults().withGroupCommit(false);
        try (StorageQueue store = Stores.open(kind, dir, options, "USERS")) {
            StorageStats before = store.stats();
            List<Future<Void>> results = new ArrayList<>();
            try (Blocker blocker = new Blocker(store)) {
                results.add(enqueue(store, s -> add(s, "a", "x")));
                results.add(enqueue(store, s -> {
                    add(s, "b", "x");
                    throw new IllegalStateException("b fails");
                }));
                results.add(enqueue(store, s -> add(s, "c", "x")));
            }
            results.get(0).get();
            assertEquals("b fails", assertThrows(ExecutionException.class, results.get(1)::get).getCause().getMessage());
            results.get(2).get();
            StorageStats after = store.stats();
            assertEquals(2, after.batches() - before.batches(), "the blocker, then the three taken together");
            assertEquals(3, after.commits() - before.commits(), "the blocker, a and c, each in its own transaction");
            assertEquals(List.of("a", "c"), store.execute(s -> s.listKeys("USERS")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void maxBatchSizeBoundsABatch(Kind kind) throws Exception {
        StorageOptions options = StorageOptions.defaults().withMaxBatchSize(2);
        try (StorageQueue store = Stores.open(kind, dir, options, "USERS")) {
            StorageStats before = store.stats();
            List<Future<Void>> results = new ArrayList<>();
            try (Blocker blocker = new Blocker(store)) {
                for (String key : List.of("a", "b", "c", "d", "e")) {
                    results.add(enqueue(store, s -> add(s, key, "x")));
                }
            }
            for (Future<Void> result : results) {
                result.get();
            }
            assertEquals(1 + 3, store.stats().batches() - before.batches(), "the blocker, then 2 + 2 + 1");
            assertEquals(3.0, new StorageStats(0, 0, 6, 2, 0, 0, 0, 0, 0, 0).meanBatchSize());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void byDefaultWaitingRoutinesShareOneTransactionUpToTheEnginesBatchLimit(Kind kind) throws Exception {
        // The limit differs: PostgreSQL caps a batch at 64 routines, SQLite at maxBatchSize.
        int limit = kind == Kind.POSTGRES ? 64 : 1_024;
        int batches = (1_025 + limit - 1) / limit;
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            StorageStats before = store.stats();
            List<Future<Void>> results = new ArrayList<>();
            try (Blocker blocker = new Blocker(store)) {
                for (int i = 0; i < 1_025; i++) {
                    results.add(executeAsync(store, add("k" + i)));
                }
                awaitQueued(store, 1_025);
            }
            for (Future<Void> result : results) {
                result.get();
            }
            StorageStats after = store.stats();
            assertEquals(1 + batches, after.batches() - before.batches(), "the blocker, then " + limit + " at a time, then the rest");
            assertEquals(1 + batches, after.commits() - before.commits());
            assertEquals(1_025, store.execute(s -> s.listKeys("USERS")).size());
        }
    }

    private static Routine<Void> add(String key) {
        return s -> add(s, key, "x");
    }

    private static Void add(Storage s, String key, String value) {
        s.add("USERS", key, bytes(value), 0);
        return null;
    }

}
