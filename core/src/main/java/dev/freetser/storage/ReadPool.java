package dev.freetser.storage;

import dev.freetser.storage.spi.Engine;
import dev.freetser.storage.spi.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The read threads ({@code freetser-read-<n>}). Each owns a read-only connection to the database
 * and takes from one shared queue its share of the routines waiting there (up to
 * {@value #BATCH}), runs them in one read transaction, a WAL snapshot of what was committed when
 * it began (SQLite: a WAL snapshot; PostgreSQL: a REPEATABLE READ, READ ONLY transaction), then
 * wakes their callers together (see {@link Answers}). Each routine was queued before the snapshot
 * began, so it sees every write that returned before it was called. Reads so never wait behind
 * the storage thread's writes, and writes never wait for reads.
 */
final class ReadPool {
    private static final int BATCH = 64;

    private final BlockingQueue<Task<?>> queue;
    private final List<StorageThread> threads = new ArrayList<>();
    private final List<CompletableFuture<Void>> opened = new ArrayList<>();
    private final LongAdder reads = new LongAdder();
    private final Answers answers;

    private ReadPool(int capacity, Answers answers) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.answers = answers;
    }

    /** Starts the threads and returns once every connection is open; on failure stops them and throws. */
    static ReadPool start(Engine engine, int capacity, Answers answers) {
        int threads = engine.readThreads();
        ReadPool pool = new ReadPool(capacity, answers);
        for (int i = 0; i < threads; i++) {
            CompletableFuture<Void> open = new CompletableFuture<>();
            pool.opened.add(open);
            StorageThread thread = new StorageThread(() -> pool.serve(engine, threads, open), "freetser-read-" + i);
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

    private void serve(Engine engine, int threadCount, CompletableFuture<Void> ready) {
        Session session;
        try {
            session = engine.openReader();
        } catch (Throwable t) {
            ready.completeExceptionally(t);
            return;
        }
        ready.complete(null);
        List<Task<?>> batch = new ArrayList<>(BATCH);
        try (session) {
            while (true) {
                batch.add(take());
                // Its share of what waits, so a slow routine holds up few others while a thread is free.
                queue.drainTo(batch, Math.min(BATCH - 1, queue.size() / threadCount));
                int size = batch.size();
                batch.removeIf(task -> task == Task.STOP);
                int stops = size - batch.size();
                runReads(session, batch);
                reads.add(batch.size());
                answers.finish(batch, 0, batch.size());
                if (stops > 0) {
                    for (int i = 1; i < stops; i++) {
                        Task.stop(queue); // the other threads' STOPs, taken along with this one's
                    }
                    return;
                }
                batch.clear();
            }
        }
    }

    /** A routine that throws fails alone: reads change nothing, so there is nothing to roll back. */
    private static void runReads(Session session, List<Task<?>> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        try {
            session.begin();
        } catch (RuntimeException e) {
            session.rollback();
            for (Task<?> task : tasks) {
                task.fail(e);
            }
            return;
        }
        for (Task<?> task : tasks) {
            task.run(session.storage());
        }
        session.rollback(); // ends the read transaction; what was read stands
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
