package dev.freetser.postgres;

import static dev.freetser.postgres.Routines.T;
import static dev.freetser.postgres.Routines.TABLES;
import static dev.freetser.postgres.Routines.await;
import static dev.freetser.postgres.Routines.bytes;
import static dev.freetser.postgres.Routines.enqueue;
import static dev.freetser.postgres.Routines.executeAsync;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.freetser.storage.EntryAlreadyExistsException;
import dev.freetser.storage.Storage;
import dev.freetser.storage.StorageException.Fault;
import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.StorageReadOnlyException;
import dev.freetser.storage.StorageStats;
import dev.freetser.storage.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the PostgreSQL engine must do its own way to behave as SQLite does. */
@Timeout(60)
class PostgresStoreTest {
    /**
     * A failed statement would abort the whole PostgreSQL transaction, so add never lets the
     * duplicate key fail: in a batch, the routine whose add finds a key fails alone, and one
     * that catches it goes on writing.
     */
    @Test
    void anAddOnATakenKeyFailsOnlyItsOwnRoutineInABatch() throws Exception {
        try (Store store = Store.open(PostgresServer.freshSchema(), TABLES, StorageOptions.defaults().withReadThreads(0))) {
            store.execute(s -> add(s, "taken"));
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Void> blocker = executeAsync(store, s -> {
                running.countDown();
                await(release);
                return null;
            });
            running.await();
            StorageStats before = store.stats();
            Future<Void> first = enqueue(store, s -> add(s, "first"));
            Future<Void> taken = enqueue(store, s -> add(s, "taken"));
            Future<String> caught = enqueue(store, s -> {
                assertThrows(EntryAlreadyExistsException.class, () -> add(s, "taken"));
                assertThrows(EntryAlreadyExistsException.class, () -> s.add(T, "taken", bytes("x"), 0, 1));
                add(s, "instead");
                return "went on";
            });
            Future<Void> last = enqueue(store, s -> add(s, "last"));
            release.countDown();
            blocker.get();

            assertNull(first.get());
            ExecutionException failed = assertThrows(ExecutionException.class, taken::get);
            assertInstanceOf(EntryAlreadyExistsException.class, failed.getCause());
            assertEquals("an entry with this key already exists in table USERS", failed.getCause().getMessage());
            assertEquals("went on", caught.get());
            assertNull(last.get());
            StorageStats after = store.stats();
            assertEquals(1, after.batches() - before.batches(), "the four routines ran as one batch");
            assertEquals(2, after.commits() - before.commits(), "the blocker's and the batch's");
            assertEquals(List.of("first", "instead", "last", "taken"), store.execute(s -> s.listKeys(T)));
        }
    }

    /** Refused before any SQL, with SQLite's messages; the transaction goes on. */
    @Test
    void keysWithUPlus0000AreRefusedAsOnSqlite() {
        String bad = "a\u0000b";
        List<Consumer<Storage>> uses = List.of(
                s -> s.add(T, bad, bytes("x"), 0),
                s -> s.get(T, bad),
                s -> s.delete(T, bad),
                s -> s.update(T, bad, bytes("x"), 0, 0),
                s -> s.listKeys(T, bad, null, 10, 0),
                s -> s.listKeys(T, "", bad, 10, 0));
        List<List<String>> messages = new ArrayList<>();
        for (String url : List.of(":memory:", PostgresServer.freshSchema())) {
            try (Store store = Store.open(url, TABLES)) {
                messages.add(store.execute(s -> {
                    List<String> refused = new ArrayList<>();
                    for (Consumer<Storage> use : uses) {
                        refused.add(assertThrows(IllegalArgumentException.class, () -> use.accept(s)).getMessage());
                    }
                    add(s, "good");
                    return refused;
                }));
                assertThrows(IllegalArgumentException.class, () -> store.read(s -> s.get(T, bad)));
                assertEquals(List.of("good"), store.read(s -> s.listKeys(T)));
            }
        }
        assertEquals(messages.get(0), messages.get(1));
    }

    /** Each creates the tables in the same transaction-scoped lock; none fails on the catalog. */
    @Test
    void storesOpeningOneNewSchemaAtOnceAllSucceed() throws Exception {
        String url = PostgresServer.freshSchema();
        List<String> tables = List.of("USERS", "SESSIONS", "ORDER");
        StorageOptions options = StorageOptions.defaults().withReadThreads(1).withPurgeInterval(Duration.ofMinutes(1));
        int count = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Store>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FutureTask<Store> open = new FutureTask<>(() -> {
                go.await();
                return Store.open(url, tables, options);
            });
            Thread.ofPlatform().start(open);
            opening.add(open);
        }
        go.countDown();
        List<Store> stores = new ArrayList<>();
        try {
            for (Future<Store> open : opening) {
                stores.add(open.get());
            }
            for (int i = 0; i < count; i++) {
                String key = "k" + i;
                stores.get(i).execute(s -> add(s, key));
            }
            long total = stores.get(0).read(s -> s.count("ORDER", 0) + s.count("USERS", 0));
            assertEquals(count, total);
        } finally {
            stores.forEach(Store::close);
        }
    }

    /** COLLATE "C" orders keys by their UTF-8 bytes, as SQLite does, not by UTF-16 units or a locale. */
    @Test
    void keysAreListedInUtf8ByteOrderAsOnSqlite() {
        List<String> keys = List.of("z", "\u00e9", "\uD83D\uDE00", "\uFFFF", "a", "", "\uE000", "ab", "a\u0001", "Z");
        List<String> expected = new ArrayList<>(keys);
        expected.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("", "Z", "a", "a\u0001", "ab", "z", "\u00e9", "\uE000", "\uFFFF", "\uD83D\uDE00"), expected);
        List<List<List<String>>> listings = new ArrayList<>();
        for (String url : List.of(":memory:", PostgresServer.freshSchema())) {
            try (Store store = Store.open(url, TABLES)) {
                store.execute(s -> {
                    keys.forEach(key -> add(s, key));
                    return null;
                });
                listings.add(store.read(s -> {
                    List<String> paged = new ArrayList<>();
                    List<String> page;
                    do {
                        page = s.listKeys(T, "", paged.isEmpty() ? null : paged.get(paged.size() - 1), 3, 0);
                        paged.addAll(page);
                    } while (page.size() == 3);
                    return List.of(s.listKeys(T), paged, s.listKeys(T, "a", null, 10, 0),
                            s.listKeys(T, "", "z", 10, 0), s.listKeys(T, "\uFFFF", null, 10, 0));
                }));
            }
        }
        assertEquals(expected, listings.get(1).get(0));
        assertEquals(expected, listings.get(1).get(1));
        assertEquals(List.of("a", "a\u0001", "ab"), listings.get(1).get(2));
        assertEquals(List.of("\u00e9", "\uE000", "\uFFFF", "\uD83D\uDE00"), listings.get(1).get(3));
        assertEquals(List.of("\uFFFF"), listings.get(1).get(4));
        assertEquals(listings.get(0), listings.get(1));
    }

    @Test
    void readRoutinesMayNotChangeDataOnAReadThreadOrTheStorageThread() {
        for (int readThreads : new int[] {0, 1}) {
            try (Store store = Store.open(PostgresServer.freshSchema(), TABLES, StorageOptions.defaults().withReadThreads(readThreads))) {
                StorageReadOnlyException refused = assertThrows(StorageReadOnlyException.class, () -> store.read(s -> add(s, "k")));
                assertEquals("add changes data: a read() routine may only read; use execute()", refused.getMessage());
                assertEquals(List.of(), store.read(s -> s.listKeys(T)));
            }
        }
    }

    @Test
    void theEngineIsNamedWithoutTheQueryStringThatMayHoldAPassword() {
        PostgresEngine engine = (PostgresEngine) new PostgresEngineProvider()
                .engine("jdbc:postgresql://db:5432/app?user=app&password=secret", TABLES, StorageOptions.defaults());
        assertEquals("jdbc:postgresql://db:5432/app", engine.name());
        assertEquals("PostgresEngine[jdbc:postgresql://db:5432/app]", engine.toString());
    }

    @Test
    void sqlStatesMapToFaults() {
        assertEquals(Fault.FULL, PostgresSession.fault("53100"));
        assertEquals(Fault.BUSY, PostgresSession.fault("53200"));
        assertEquals(Fault.BUSY, PostgresSession.fault("53300"));
        assertEquals(Fault.READ_ONLY, PostgresSession.fault("25006"));
        for (String io : List.of("08006", "08001", "57P01", "57P02", "57P03", "58030", "XX001", "XX002")) {
            assertEquals(Fault.IO, PostgresSession.fault(io), io);
        }
        for (String busy : List.of("40001", "40P01", "55P03")) {
            assertEquals(Fault.BUSY, PostgresSession.fault(busy), busy);
        }
        for (String own : List.of("23505", "42P01", "22021", "57014", "XX000")) {
            assertNull(PostgresSession.fault(own), own);
        }
    }

    private static Void add(Storage s, String key) {
        s.add(T, key, bytes(key), 0);
        return null;
    }
}
