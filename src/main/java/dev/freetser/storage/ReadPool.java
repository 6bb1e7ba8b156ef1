package dev.freetser.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The read threads ({@code freetser-read-<n>}). Each owns a read-only connection to the database
 * file and takes routines from one shared queue, running each in its own read transaction: a
 * WAL snapshot of what was committed when it began. Reads so never wait behind the storage
 * thread's writes, and writes never wait for reads.
 */
final class ReadPool {
    private final BlockingQueue<Task<?>> queue;
    private final List<StorageThread> threads = new ArrayList<>();
    private final List<CompletableFuture<Void>> opened = new ArrayList<>();
    private final LongAdder reads = new LongAdder();

    private ReadPool(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Starts the threads and returns once every connection is open; on failure stops them and throws. */
    static ReadPool start(Path file, List<String> tables, int threads, int capacity) {
        ReadPool pool = new ReadPool(capacity);
        for (int i = 0; i < threads; i++) {
            CompletableFuture<Void> open = new CompletableFuture<>();
            pool.opened.add(open);
            StorageThread thread = new StorageThread(() -> pool.serve(file, tables, open), "freetser-read-" + i);
            pool.threads.add(thread);
            thread.start();
        }
        try {
            CompletableFuture.allOf(pool.opened.toArray(CompletableFuture[]::new)).join();
            return pool;
        } catch (CompletionException e) {
            pool.stop();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    BlockingQueue<Task<?>> queue() {
        return queue;
    }

    long reads() {
        return reads.sum();
    }

    /**
     * Lets the threads finish what is queued, then closes their connections and waits for them.
     * One STOP per thread that opened its connection (the others have already ended).
     */
    void stop() {
        for (CompletableFuture<Void> open : opened) {
            if (!open.isCompletedExceptionally()) {
                Task.stop(queue);
            }
        }
        join();
    }

    void join() {
        for (StorageThread thread : threads) {
            thread.joinUninterruptibly();
        }
    }

    private void serve(Path file, List<String> tables, CompletableFuture<Void> ready) {
        SqliteSession session;
        try {
            session = SqliteSession.openReader(file, tables);
        } catch (Throwable t) {
            ready.completeExceptionally(t);
            return;
        }
        ready.complete(null);
        try (session) {
            for (Task<?> task = take(); task != Task.STOP; task = take()) {
                runRead(session, task);
                reads.increment();
                task.finish();
            }
        }
    }

    private static void runRead(SqliteSession session, Task<?> task) {
        try {
            session.begin();
            if (task.run(session.storage())) {
                session.commit();
            } else {
                session.rollback();
            }
        } catch (RuntimeException e) {
            session.rollback();
            task.fail(e);
        }
    }

    private Task<?> take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Only Task.STOP ends a read thread.
            }
        }
    }
}
