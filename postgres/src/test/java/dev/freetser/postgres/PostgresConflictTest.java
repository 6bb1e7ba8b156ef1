package dev.freetser.postgres;

import static dev.freetser.postgres.Routines.T;
import static dev.freetser.postgres.Routines.TABLES;
import static dev.freetser.postgres.Routines.bytes;
import static dev.freetser.postgres.Routines.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.storage.Entry;
import dev.freetser.storage.Storage;
import dev.freetser.storage.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two stores on one database, like two instances of an application: their conflicts are run again. */
class PostgresConflictTest {
    private static final int THREADS = 16;
    private static final int INCREMENTS = 50;

    /**
     * Read-modify-write of one key from both stores at once: their serializable transactions
     * conflict, and the storage loops run the losers again (a run again first locks the tables,
     * so it cannot lose again), so no increment is lost and none fails. The caller retries only
     * when update finds another update came first.
     */
    @Test
    @Timeout(180)
    void incrementsOfOneKeyFromTwoStoresAreAllCounted() throws Exception {
        String url = PostgresServer.freshSchema();
        try (Store a = Store.open(url, TABLES); Store b = Store.open(url, TABLES)) {
            AtomicLong increments = new AtomicLong();
            AtomicLong staleUpdates = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> escaped = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (Store store : List.of(a, b)) {
                for (int i = 0; i < THREADS; i++) {
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            for (int n = 0; n < INCREMENTS; n++) {
                                while (!store.execute(PostgresConflictTest::increment)) {
                                    staleUpdates.incrementAndGet();
                                }
                                increments.incrementAndGet();
                            }
                        } catch (Throwable t) {
                            escaped.add(t);
                        }
                    }));
                }
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (!escaped.isEmpty()) {
                throw new AssertionError(escaped.size() + " increments failed; the first:", escaped.peek());
            }
            assertEquals(2 * THREADS * INCREMENTS, increments.get());
            Entry entry = a.read(s -> s.get(T, "n")).orElseThrow();
            assertEquals(increments.get(), Long.parseLong(text(entry)));
            assertEquals(increments.get() - 1, entry.counter(), "one add, then updates");
            long retries = a.stats().retries() + b.stats().retries();
            assertTrue(retries > 0, "some transactions conflicted and ran again");
            System.out.printf("PostgresConflictTest: %d increments; retries %d + %d; stale updates %d; commits %d + %d%n",
                    increments.get(), a.stats().retries(), b.stats().retries(), staleUpdates.get(),
                    a.stats().commits(), b.stats().commits());
        }
    }

    private static boolean increment(Storage s) {
        Optional<Entry> entry = s.get(T, "n");
        if (entry.isEmpty()) {
            s.add(T, "n", bytes("1"), 0);
            return true;
        }
        String next = Long.toString(Long.parseLong(text(entry.get())) + 1);
        return s.update(T, "n", bytes(next), entry.get().counter(), 0);
    }
}
