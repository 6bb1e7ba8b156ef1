package dev.freetser.storage;

import static dev.freetser.storage.Stores.bytes;
import static dev.freetser.storage.Stores.enqueue;
import static dev.freetser.storage.Stores.pageCount;
import static dev.freetser.storage.Stores.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.storage.Stores.Blocker;
import dev.freetser.storage.Stores.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A batch that SQLite itself fails, staged with its own SQL and PRAGMAs: SQLite only (the
 * engine-neutral group commit is {@link GroupCommitTest}). As there, a {@link Blocker} holds the
 * storage thread while routines queue, so they are taken as one batch in a known order.
 */
@Timeout(20)
class SqliteGroupCommitTest {
    @TempDir
    Path dir;

    /**
     * COMMIT itself refused: a trigger leaves a deferred foreign-key violation, which SQLite only
     * checks at COMMIT (SQLITE_CONSTRAINT_FOREIGNKEY, 787), as a full disk would fail the WAL write.
     */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MEMORY", "FILE"})
    void aFailedCommitFailsEveryRoutineOfTheBatchAndTheStoreGoesOn(Kind kind) throws Exception {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            store.execute(s -> sql(s, "COMMIT", "PRAGMA foreign_keys = ON", "BEGIN IMMEDIATE",
                    "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                    "CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
                    "CREATE TRIGGER poison AFTER INSERT ON USERS WHEN NEW.key = 'poison' BEGIN INSERT INTO child VALUES (1); END"));
            long commits = store.stats().commits();
            List<Future<Void>> results = new ArrayList<>();
            try (Blocker blocker = new Blocker(store)) {
                for (String key : List.of("before", "poison", "after")) {
                    results.add(enqueue(store, s -> add(s, key, "x")));
                }
            }
            for (Future<Void> result : results) {
                StorageException e = assertInstanceOf(StorageException.class,
                        assertThrows(ExecutionException.class, result::get).getCause());
                assertEquals(787, e.code());
                assertTrue(e.getMessage().startsWith("nothing of this routine was committed: COMMIT failed: [SQLITE_CONSTRAINT_FOREIGNKEY]"), e.getMessage());
            }
            assertEquals(commits + 1, store.stats().commits(), "only the blocker's transaction committed");
            assertEquals(List.of(), store.execute(s -> s.listKeys("USERS")));
            store.execute(s -> add(s, "later", "y"));
            assertEquals(List.of("later"), store.execute(s -> s.listKeys("USERS")));
        }
    }

    /**
     * A full disk (max_page_count) in one routine: SQLite answers SQLITE_FULL (13) and rolls back
     * the whole transaction, so the routine before it in the batch loses its work too and is told
     * so; the routine after it runs in a new transaction; once there is room again all is well.
     */
    @Test
    void aFullDiskFailsTheRoutinesWhoseWorkItLostAndLaterRoutinesRunOnceThereIsRoom() throws Exception {
        try (StorageQueue store = Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS")) {
            store.execute(s -> sql(s, "PRAGMA max_page_count = " + pageCount(s)));
            Future<Void> small;
            Future<Void> big;
            Future<Void> after;
            try (Blocker blocker = new Blocker(store)) {
                small = enqueue(store, s -> add(s, "small", "x"));
                big = enqueue(store, s -> add(s, "big", "x".repeat(100_000)));
                after = enqueue(store, s -> add(s, "after", "y"));
            }
            StorageException own = assertInstanceOf(StorageException.class, assertThrows(ExecutionException.class, big::get).getCause());
            assertEquals(13, own.code());
            assertEquals(StorageException.Fault.FULL, own.fault());
            assertTrue(own.getMessage().startsWith("add to table USERS failed: [SQLITE_FULL]"), own.getMessage());
            StorageException lost = assertInstanceOf(StorageException.class, assertThrows(ExecutionException.class, small::get).getCause());
            assertEquals(13, lost.code());
            assertEquals(StorageException.Fault.FULL, lost.fault());
            assertEquals("nothing of this routine was committed: " + own.getMessage(), lost.getMessage());
            after.get();
            assertEquals(List.of("after"), store.execute(s -> s.listKeys("USERS")));
            store.execute(s -> sql(s, "PRAGMA max_page_count = 1000000"));
            store.execute(s -> add(s, "big", "x".repeat(100_000)));
            assertEquals(List.of("after", "big"), store.execute(s -> s.listKeys("USERS")));
        }
    }

    private static Void add(Storage s, String key, String value) {
        s.add("USERS", key, bytes(value), 0);
        return null;
    }
}
