package dev.freetser.storage;

import static dev.freetser.storage.Stores.bytes;
import static dev.freetser.storage.Stores.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.freetser.storage.Stores.Blocker;
import dev.freetser.storage.Stores.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StorageQueue#read}: read-only routines, on read threads (but on {@code :memory:}, see
 * {@link SqliteReadTest}), on every kind of store ({@link Stores#kinds()}).
 */
@Timeout(20)
class ReadTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void readSeesWhatExecuteCommitted(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            store.execute(s -> {
                s.add("USERS", "ada", bytes("committed"), 0);
                return null;
            });
            assertEquals("committed", text(store.read(s -> s.get("USERS", "ada")).orElseThrow()));
            assertEquals(List.of("ada"), store.read(s -> s.listKeys("USERS")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void everyChangeInsideReadFailsWithStorageReadOnlyException(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            store.execute(s -> {
                s.add("USERS", "ada", bytes("v0"), 0);
                return null;
            });
            List<Routine<?>> changes = List.of(
                    s -> {
                        s.add("USERS", "bob", bytes("x"), 0);
                        return null;
                    },
                    s -> {
                        s.add("USERS", "bob", bytes("x"), 0, 1);
                        return null;
                    },
                    s -> s.update("USERS", "ada", bytes("v1"), 0, 0),
                    s -> s.delete("USERS", "ada"),
                    s -> {
                        s.clear("USERS");
                        return null;
                    });
            for (Routine<?> change : changes) {
                StorageReadOnlyException e = assertThrows(StorageReadOnlyException.class, () -> store.read(change));
                assertEquals(" changes data: a read() routine may only read; use execute()",
                        e.getMessage().substring(e.getMessage().indexOf(' ')));
            }
            assertEquals(new Entry(bytes("v0"), 0, 0), store.read(s -> s.get("USERS", "ada")).orElseThrow());
            assertEquals(List.of("ada"), store.read(s -> s.listKeys("USERS")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#lastingKinds")
    void readsRunOnReadThreads(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults().withReadThreads(1), "USERS")) {
            assertEquals("freetser-read-0 false", store.read(s -> threadName()));
            assertEquals(1, store.stats().reads());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#lastingKinds")
    void aReadDoesNotWaitForTheStorageThread(Kind kind) throws Exception {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            store.execute(s -> {
                s.add("USERS", "ada", bytes("v0"), 0);
                return null;
            });
            try (Blocker blocker = new Blocker(store)) {
                assertEquals("v0", text(store.read(s -> s.get("USERS", "ada")).orElseThrow()));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#lastingKinds")
    void readsRunInParallel(Kind kind) throws Exception {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults().withReadThreads(2), "USERS")) {
            CyclicBarrier bothInside = new CyclicBarrier(2);
            Routine<Integer> meet = s -> {
                try {
                    return bothInside.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the other read never ran alongside", e);
                }
            };
            FutureTask<Integer> first = new FutureTask<>(() -> store.read(meet));
            Thread.ofVirtual().start(first);
            int second = store.read(meet);
            assertEquals(1, first.get() + second, "arrival indexes 0 and 1: both were inside at once");
        }
    }

    /** Each read routine is one read transaction: a write committed meanwhile is not seen half-way. */
    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#lastingKinds")
    void aReadRoutineSeesOneSnapshot(Kind kind) throws Exception {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            store.execute(s -> {
                s.add("USERS", "ada", bytes("before"), 0);
                return null;
            });
            CountDownLatch readOnce = new CountDownLatch(1);
            CountDownLatch written = new CountDownLatch(1);
            FutureTask<String> read = new FutureTask<>(() -> store.read(s -> {
                String first = text(s.get("USERS", "ada").orElseThrow());
                readOnce.countDown();
                await(written);
                return first + " " + text(s.get("USERS", "ada").orElseThrow());
            }));
            Thread.ofVirtual().start(read);
            readOnce.await();
            store.execute(s -> s.update("USERS", "ada", bytes("after"), 0, 0));
            written.countDown();
            assertEquals("before before", read.get());
            assertEquals("after", text(store.read(s -> s.get("USERS", "ada")).orElseThrow()));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#lastingKinds")
    void aFullReadQueueRefusesAtOnce(Kind kind) throws Exception {
        StorageOptions options = StorageOptions.defaults().withReadThreads(1).withQueueCapacity(1);
        try (StorageQueue store = Stores.open(kind, dir, options, "USERS")) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            FutureTask<Integer> busy = new FutureTask<>(() -> store.read(s -> {
                inside.countDown();
                await(release);
                return 1;
            }));
            Thread.ofVirtual().start(busy);
            inside.await();
            FutureTask<Integer> waiting = new FutureTask<>(() -> store.read(s -> 2));
            Thread.ofVirtual().start(waiting);
            while (store.stats().readsQueued() < 1) {
                Thread.yield();
            }
            assertThrows(StorageBusyException.class, () -> store.read(s -> 3));
            release.countDown();
            assertEquals(3, busy.get() + waiting.get());
        }
    }

    /** Reads that queued while the one read thread was busy are taken together; one failing fails alone. */
    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#lastingKinds")
    void readsThatQueuedTogetherEachGetTheirOwnOutcome(Kind kind) throws Exception {
        StorageOptions options = StorageOptions.defaults().withReadThreads(1);
        try (StorageQueue store = Stores.open(kind, dir, options, "USERS")) {
            store.execute(s -> {
                s.add("USERS", "ada", bytes("v1"), 0);
                return null;
            });
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            FutureTask<String> busy = new FutureTask<>(() -> store.read(s -> {
                inside.countDown();
                await(release);
                return "busy";
            }));
            Thread.ofVirtual().start(busy);
            inside.await();
            List<FutureTask<String>> queued = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                FutureTask<String> read = new FutureTask<>(() -> store.read(s -> {
                    if (n == 3) {
                        throw new IllegalStateException("read 3 fails");
                    }
                    return n + ":" + text(s.get("USERS", "ada").orElseThrow());
                }));
                queued.add(read);
                Thread.ofVirtual().start(read);
            }
            while (store.stats().readsQueued() < queued.size()) {
                Thread.yield();
            }
            long reads = store.stats().reads();
            release.countDown();
            assertEquals("busy", busy.get());
            for (int i = 0; i < queued.size(); i++) {
                FutureTask<String> read = queued.get(i);
                if (i == 3) {
                    assertEquals("read 3 fails", assertThrows(ExecutionException.class, read::get).getCause().getMessage());
                } else {
                    assertEquals(i + ":v1", read.get());
                }
            }
            assertEquals(reads + 1 + queued.size(), store.stats().reads());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.freetser.storage.Stores#kinds")
    void aReadRoutineExceptionReachesTheCallerUnchanged(Kind kind) {
        try (StorageQueue store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS")) {
            IllegalArgumentException thrown = new IllegalArgumentException("bad request");
            assertSame(thrown, assertThrows(IllegalArgumentException.class, () -> store.read(s -> {
                throw thrown;
            })));
            assertEquals(List.of(), store.read(s -> s.listKeys("USERS")));
        }
    }

    private static String threadName() {
        return Thread.currentThread().getName() + " " + Thread.currentThread().isVirtual();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released within 10 s");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
