package dev.freetser.postgres;

import dev.freetser.storage.Entry;
import dev.freetser.storage.Routine;
import dev.freetser.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/** What the PostgreSQL tests share: the table, values as text, routines run from other threads. */
final class Routines {
    static final String T = "USERS";
    static final List<String> TABLES = List.of(T);

    private Routines() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Entry entry) {
        return new String(entry.value(), StandardCharsets.UTF_8);
    }

    /** Starts {@code execute} of the routine on a new virtual thread; the future holds its outcome. */
    static <R> Future<R> executeAsync(Store store, Routine<R> routine) {
        FutureTask<R> task = new FutureTask<>(() -> store.execute(routine));
        Thread.ofVirtual().start(task);
        return task;
    }

    /** Starts {@code execute} and returns once the routine waits in the queue, so queue order is call order. */
    static <R> Future<R> enqueue(Store store, Routine<R> routine) {
        int queued = store.stats().queued();
        Future<R> result = executeAsync(store, routine);
        PostgresServer.until(() -> store.stats().queued() > queued, "routine queued");
        return result;
    }

    /** Waits for the latch inside a routine, which cannot throw InterruptedException. */
    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
