package dev.freetser.postgres;

import static dev.freetser.postgres.PostgresServer.backends;
import static dev.freetser.postgres.PostgresServer.terminate;
import static dev.freetser.postgres.Routines.T;
import static dev.freetser.postgres.Routines.TABLES;
import static dev.freetser.postgres.Routines.bytes;
import static dev.freetser.postgres.Routines.executeAsync;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freetser.storage.CommitUnknownException;
import dev.freetser.storage.Durability;
import dev.freetser.storage.Entry;
import dev.freetser.storage.Routine;
import dev.freetser.storage.Storage;
import dev.freetser.storage.StorageException;
import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.Store;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections lost under a store: it connects again, and says when a commit's outcome is unknown. */
@Timeout(120)
class PostgresConnectionTest {
    private static final Routine<String> READ = s -> s.get(T, "k").map(Routines::text).orElse(null);

    @Test
    void afterItsBackendsAreTerminatedTheStoreConnectsAgain() {
        String url = PostgresServer.freshSchema();
        try (Store store = Store.open(url, TABLES, StorageOptions.defaults().withReadThreads(1))) {
            store.execute(s -> put(s, "1"));
            assertEquals("1", store.read(READ));
            assertEquals(2, terminate(backends(url, null), url), "the writer's and the reader's");

            store.execute(s -> put(s, "2"));
            assertEquals("2", store.read(READ));
            assertEquals(2, backends(url, null).size());
            assertEquals(0, store.stats().retries(), "found lost by a transaction's first statement: no run again");
        }
    }

    /** Lost after the routine's first statement: the write fails, and the loop runs the routine again. */
    @Test
    void aRoutineWhoseConnectionIsLostMidwayRunsAgain() {
        String url = PostgresServer.freshSchema();
        try (Store store = Store.open(url, TABLES, StorageOptions.defaults().withReadThreads(1))) {
            store.execute(s -> put(s, "1"));
            AtomicInteger runs = new AtomicInteger();
            store.execute(s -> {
                s.get(T, "k");
                if (runs.incrementAndGet() == 1) {
                    terminate(backends(url, null), url);
                }
                return put(s, "2");
            });
            assertEquals(2, runs.get());
            assertEquals(1, store.stats().retries());
            assertEquals("2", store.read(READ));
        }
    }

    /** Reads are not run again: the one that was running fails with fault IO, the next one succeeds. */
    @Test
    void aReadWhoseConnectionIsLostMidwayFailsAndTheNextSucceeds() {
        String url = PostgresServer.freshSchema();
        try (Store store = Store.open(url, TABLES, StorageOptions.defaults().withReadThreads(1))) {
            store.execute(s -> put(s, "1"));
            StorageException failed = assertThrows(StorageException.class, () -> store.read(s -> {
                s.get(T, "k");
                terminate(backends(url, null), url);
                return s.get(T, "k");
            }));
            assertEquals(StorageException.Fault.IO, failed.fault(), failed.getMessage());
            assertTrue(failed.getMessage().startsWith("get from table USERS failed: "), failed.getMessage());
            assertEquals("1", store.read(READ));
        }
    }

    @Test
    void afterTheServerRestartsTheStoreConnectsAgain() throws Exception {
        String url = PostgresServer.freshSchema();
        try (Store store = Store.open(url, TABLES, StorageOptions.defaults().withReadThreads(1))) {
            store.execute(s -> put(s, "1"));
            PostgresServer.restart();
            store.execute(s -> put(s, "2"));
            assertEquals("2", store.read(READ));
        }
    }

    /**
     * COMMIT waits for a synchronous standby that never comes, and its connection is cut: the
     * caller is told the outcome is unknown, and the routine is not run again. (It had committed
     * locally before waiting, so the change is there.)
     */
    @Test
    void aCommitWhoseConnectionIsLostIsInDoubtAndNotRunAgain() throws Exception {
        assumeTrue(PostgresServer.ours(), "needs the tests' own server: it makes every synchronous commit on the server wait");
        String url = PostgresServer.freshSchema();
        StorageOptions options = StorageOptions.defaults().withDurability(Durability.FULL).withReadThreads(0);
        try (Store store = Store.open(url, TABLES, options)) {
            store.execute(s -> put(s, "0"));
            PostgresServer.sql("ALTER SYSTEM SET synchronous_standby_names = 'nobody'", "SELECT pg_reload_conf()");
            AtomicInteger runs = new AtomicInteger();
            Future<Void> commit;
            int attempt = 0;
            try {
                // The reload reaches the server's processes a moment later: until then commits do not wait.
                do {
                    runs.set(0);
                    String value = Integer.toString(++attempt);
                    commit = executeAsync(store, s -> {
                        runs.incrementAndGet();
                        return put(s, value);
                    });
                    Future<Void> started = commit;
                    PostgresServer.until(() -> started.isDone() || !backends(url, "SyncRep").isEmpty(),
                            "the commit done or waiting for a standby");
                } while (commit.isDone());
                assertEquals(1, terminate(backends(url, "SyncRep"), url));
                ExecutionException failed = assertThrows(ExecutionException.class, commit::get);
                assertInstanceOf(CommitUnknownException.class, failed.getCause());
                assertEquals(StorageException.Fault.IO, ((StorageException) failed.getCause()).fault());
            } finally {
                PostgresServer.sql("ALTER SYSTEM RESET synchronous_standby_names", "SELECT pg_reload_conf()");
            }
            assertEquals(1, runs.get());
            assertEquals(0, store.stats().retries());
            assertEquals(Integer.toString(attempt), store.execute(READ));
        }
    }

    /** Sets the value under "k", adding the entry if missing. */
    private static Void put(Storage s, String value) {
        Entry entry = s.get(T, "k").orElse(null);
        if (entry == null) {
            s.add(T, "k", bytes(value), 0);
        } else {
            assertTrue(s.update(T, "k", bytes(value), entry.counter(), 0));
        }
        return null;
    }
}
