package dev.freetser.storage;

import dev.freetser.Polling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/** Opening stores for tests, and holding the storage thread still so routines queue behind it. */
final class Stores {
    /** Where a test store lives: both must behave the same. */
    enum Kind { MEMORY, FILE }

    private Stores() {
    }

    static StorageQueue open(Kind kind, Path dir, StorageOptions options, String... tables) {
        String location = kind == Kind.MEMORY ? StorageQueue.MEMORY : dir.resolve("test.db").toString();
        return StorageQueue.open(location, List.of(tables), options);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Entry entry) {
        return new String(entry.value(), StandardCharsets.UTF_8);
    }

    /** Runs SQL on the storage thread's own connection, to stage failures the Storage API cannot cause. */
    static Void sql(Storage s, String... statements) {
        try (Statement statement = ((SqliteStorage) s).connection().createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
            return null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database's size in pages: {@code PRAGMA max_page_count} at this value leaves no room. */
    static int pageCount(Storage s) {
        try (Statement statement = ((SqliteStorage) s).connection().createStatement();
             ResultSet row = statement.executeQuery("PRAGMA page_count")) {
            return row.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code execute} of the routine on a new virtual thread; the future holds its outcome. */
    static <T> Future<T> executeAsync(StorageQueue store, Routine<T> routine) {
        FutureTask<T> task = new FutureTask<>(() -> store.execute(routine));
        Thread.ofVirtual().start(task);
        return task;
    }

    /**
     * Starts {@code execute} of the routine on a new virtual thread and returns once the routine
     * waits in the queue, so that queue order is call order.
     */
    static <T> Future<T> enqueue(StorageQueue store, Routine<T> routine) {
        int queued = store.stats().queued();
        Future<T> result = executeAsync(store, routine);
        awaitQueued(store, queued + 1);
        return result;
    }

    /** Waits until {@code count} routines wait for the storage thread (stats are the only signal). */
    static void awaitQueued(StorageQueue store, int count) {
        Polling.until(() -> store.stats().queued() >= count, count + " routines queued");
    }

    /** Waits for the latch inside a routine, which cannot throw InterruptedException. */
    static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A routine that holds the storage thread until released, so that routines submitted
     * meanwhile queue up and are then taken as one batch.
     */
    static final class Blocker implements AutoCloseable {
        private final CountDownLatch running = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Future<Void> done;

        Blocker(StorageQueue store) throws InterruptedException {
            done = executeAsync(store, s -> {
                running.countDown();
                awaitLatch(release);
                return null;
            });
            running.await();
        }

        /** Lets the storage thread go on and waits for the blocking routine to commit. */
        @Override
        public void close() throws Exception {
            release.countDown();
            done.get();
        }
    }
}
