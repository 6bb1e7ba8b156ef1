package dev.freetser.storage;

import dev.freetser.internal.RateLimitedLog;
import dev.freetser.storage.spi.Engine;
import dev.freetser.storage.spi.Session;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The storage thread's loop, the only code that writes. It takes the first waiting routine,
 * drains up to {@code maxBatchSize - 1} more without waiting, and runs them in one transaction,
 * each inside its own SAVEPOINT (opened at its first change) so a routine that throws rolls back
 * only itself; with group commit off, each in its own transaction. The batch's callers are
 * answered together once its transactions are over, each only after the COMMIT of its routine;
 * if a transaction is lost (the COMMIT fails, or the database rolls it back after a full disk or
 * an I/O error), every routine that ran in it fails, but for those that ran before any routine of
 * the transaction wrote: what they read was committed, so a full disk does not fail reads.
 *
 * <p>On an engine shared with other processes, a transaction may fail only because another one
 * ran at the same time (a serialization failure, a deadlock, a lock timeout: see
 * {@link Session#retryable}). Then a batch's routines run again one per transaction, and a lone
 * routine runs again after a short random pause, up to {@value #MAX_ATTEMPTS} times in all. Nothing
 * a routine or the database throws ends the loop: only {@link Task#STOP} does. Lost transactions
 * are logged through a {@link RateLimitedLog}: a full disk loses one per batch, and must not fill
 * the log.
 *
 * <p>The counters are written by this thread only and read by any ({@code volatile}).
 */
final class StorageLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(StorageQueue.class.getName());
    private static final int PURGE_LIMIT = 256;
    /** See {@link #pollBriefly()}. */
    private static final long POLL_NANOS = 25_000;
    /** Runs of one routine that conflicted with other transactions before it fails. */
    static final int MAX_ATTEMPTS = 10;
    /** The longest random pause before a run again, in microseconds: it doubles from 1 ms up to this. */
    private static final long MAX_BACKOFF_MICROS = 64_000;

    private final BlockingQueue<Task<?>> queue;
    private final Answers answers;
    private final Engine engine;
    private final int batchLimit;
    private final boolean groupCommit;
    private final long purgeNanos;
    private final long pollNanos;
    private final List<Task<?>> batch;
    /** How often one cause of failure may log. */
    static final Duration FAULT_LOG_INTERVAL = Duration.ofSeconds(10);

    private final RateLimitedLog faults = new RateLimitedLog(LOG, FAULT_LOG_INTERVAL);
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile Session session;
    /** Tasks of the batch before this index have their outcome (committed, or failed and told why). */
    private int settled;
    /** Set when a batch's transaction conflicted: the rest of the batch runs one routine per transaction. */
    private boolean oneByOne;
    /** Runs so far of the routine at {@link #settled} that conflicted. */
    private int attempts;
    private int lastBatchSize;
    private volatile long routines;
    private volatile long batches;
    private volatile long commits;
    private volatile long purged;
    private volatile long retries;

    StorageLoop(BlockingQueue<Task<?>> queue, Engine engine, StorageOptions options, Answers answers) {
        this.queue = queue;
        this.answers = answers;
        this.engine = engine;
        this.batchLimit = Math.min(options.maxBatchSize(), engine.maxBatchSize());
        this.groupCommit = options.groupCommit();
        this.purgeNanos = options.purgeInterval().toNanos();
        this.pollNanos = Runtime.getRuntime().availableProcessors() > 1 ? POLL_NANOS : 0;
        this.batch = new ArrayList<>(batchLimit);
    }

    /** Completes once the database is open and its tables exist, or with the reason it could not be. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    @Override
    public void run() {
        try {
            session = engine.openWriter();
        } catch (Throwable t) {
            ready.completeExceptionally(t);
            return;
        }
        ready.complete(null);
        try {
            loop();
        } finally {
            try {
                session.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the database failed", e);
            }
        }
    }

    private void loop() {
        long nextPurge = System.nanoTime() + purgeNanos;
        while (true) {
            Task<?> first = queue.poll();
            if (first == null && purgeNanos > 0 && System.nanoTime() - nextPurge >= 0) {
                nextPurge = purgeStep() ? System.nanoTime() : System.nanoTime() + purgeNanos;
                continue;
            }
            if (first == null && lastBatchSize > 1 && pollNanos > 0) {
                first = pollBriefly();
                lastBatchSize = 0; // once: until the next batch of several, sleep at once
            }
            if (first == null) {
                if ((first = waitForTask(nextPurge)) == null) {
                    continue;
                }
                // Just woken by one arrival: let the threads that are about to send more run first,
                // so they join this batch instead of each waking us again (most visible on one core).
                Thread.yield();
            }
            batch.add(first);
            queue.drainTo(batch, batchLimit - 1);
            boolean stop;
            try {
                stop = runBatch();
            } catch (Throwable t) {
                // Only an Error can get here (runTransaction catches the rest): fail what is left, go on.
                LOG.log(Level.ERROR, "unexpected failure on the storage thread; its batch fails", t);
                session.rollback();
                stop = batch.contains(Task.STOP);
                for (int i = 0; i < batch.size(); i++) {
                    Task<?> task = batch.get(i);
                    if (task != Task.STOP && !task.isDone()) {
                        if (i >= settled) {
                            task.fail(new StorageException("the storage thread failed unexpectedly", t));
                        }
                        task.finish();
                    }
                }
            }
            lastBatchSize = batch.size();
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    /**
     * After a batch of several routines, the callers are taking turns: the next routine is usually
     * microseconds away, and going to sleep and being woken costs more (a futex wait and wake, and
     * the routines that arrive meanwhile wait for the thread to be scheduled again). So the queue
     * is polled for up to 25 us first. Never on one CPU, where polling would only keep the callers
     * from running; never after a lone routine, so a lightly loaded store sleeps at once.
     */
    private Task<?> pollBriefly() {
        long until = System.nanoTime() + pollNanos;
        Task<?> task;
        while ((task = queue.poll()) == null && System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
        return task;
    }

    /** Waits for a routine until the next purge is due; null if none came by then. */
    private Task<?> waitForTask(long nextPurge) {
        try {
            if (purgeNanos == 0) {
                return queue.take();
            }
            return queue.poll(nextPurge - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return null; // Only Task.STOP ends this thread.
        }
    }

    /** Runs the batch up to a STOP and fails whatever follows it; returns whether there was a STOP. */
    private boolean runBatch() {
        int stopAt = batch.indexOf(Task.STOP);
        int end = stopAt < 0 ? batch.size() : stopAt;
        settled = 0;
        oneByOne = !groupCommit;
        attempts = 0;
        if (end > 0) {
            routines += end; // counted before the callers are answered, so they see it in stats()
            batches++;
            while (settled < end) {
                settled = runTransaction(settled, oneByOne ? settled + 1 : end);
            }
            answers.finish(batch, 0, end);
        }
        if (stopAt < 0) {
            return false;
        }
        for (int i = stopAt + 1; i < batch.size(); i++) {
            batch.get(i).fail(StorageQueue.closedException());
            batch.get(i).finish();
        }
        return true;
    }

    /**
     * Runs tasks from {@code start} in one transaction until {@code end} or until the transaction
     * is lost; returns the index of the first one it did not run (or {@code start} again, to run
     * them again after a conflict). Answers nobody: waking callers one by one, each after its own
     * COMMIT, would cost a scheduler wake-up per routine.
     */
    private int runTransaction(int start, int end) {
        boolean savepoints = end - start > 1;
        int next = start;
        // Routines before this index changed nothing, nor had any before them in this transaction.
        // Only savepoints tell who wrote, so a routine alone in its transaction is never counted clean.
        int clean = savepoints ? end : start;
        boolean committing = false;
        try {
            session.begin();
            while (next < end) {
                Task<?> task = batch.get(next++);
                Storage storage = task.readOnly ? session.readOnlyStorage() : session.storage();
                if (savepoints) {
                    session.startRoutine();
                    boolean ran = task.run(storage);
                    throwIfConflict(task);
                    if (session.endRoutine(!ran)) {
                        clean = Math.min(clean, next - 1);
                    }
                } else if (!task.run(storage)) {
                    throwIfConflict(task);
                    session.rollback();
                    if (task.failure() instanceof StorageException own && own.fault() != null) {
                        lost(1, own);
                    }
                    attempts = 0;
                    return next;
                }
            }
            committing = true;
            session.commit();
            commits++;
            attempts = 0;
        } catch (RuntimeException e) {
            session.rollback();
            if (!(e instanceof CommitUnknownException) && session.retryable(e)) {
                return again(start, next == start ? end : next, e);
            }
            // The routine's own failure lost the transaction only if it was a fault (a full disk, I/O):
            // the database keeps a transaction through the routine's own mistakes (a bad table name).
            Throwable own = committing || next == start ? null : batch.get(next - 1).failure();
            StorageException reason = own instanceof StorageException s && s.fault() != null ? s
                    : e instanceof StorageException s ? s : new StorageException("storage failure", e);
            // Nothing ran if BEGIN failed; else a routine that threw here had written (its savepoint failed).
            int from = next == start ? start : Math.min(clean, committing ? next : next - 1);
            next = next == start ? end : next;
            if (next > from) {
                lost(next - from, reason);
            }
            for (int i = from; i < next; i++) {
                // In doubt, the routine's own exception says so: it may have committed.
                batch.get(i).fail(reason instanceof CommitUnknownException ? reason
                        : new StorageException("nothing of this routine was committed: " + reason.getMessage(),
                                reason.fault(), reason.code(), reason));
            }
            attempts = 0;
        }
        return next;
    }

    /** A routine that failed for a reason worth a run again (see {@link Session#retryable}) loses the transaction. */
    private void throwIfConflict(Task<?> task) {
        if (task.failure() instanceof RuntimeException e && session.retryable(e)) {
            throw e;
        }
    }

    /**
     * The transaction of tasks {@code start} to {@code end} failed in a way worth a run again (a
     * conflict with another transaction, a lost connection) and was rolled back: runs them again,
     * a batch one routine per transaction, a lone routine after a pause; fails a lone routine
     * after {@value #MAX_ATTEMPTS} runs.
     */
    private int again(int start, int end, RuntimeException conflict) {
        for (int i = start; i < end; i++) {
            batch.get(i).reset();
        }
        if (end - start > 1) {
            oneByOne = true;
            retries += end - start;
            return start;
        }
        if (++attempts >= MAX_ATTEMPTS) {
            attempts = 0;
            StorageException reason = conflict instanceof StorageException s ? s : new StorageException("storage failure", conflict);
            lost(1, reason);
            StorageException.Fault fault = reason.fault() != null ? reason.fault() : StorageException.Fault.BUSY;
            batch.get(start).fail(new StorageException("nothing of this routine was committed, in " + MAX_ATTEMPTS
                    + " runs: " + reason.getMessage(), fault, reason.code(), reason));
            return start + 1;
        }
        retries++;
        long bound = Math.min(MAX_BACKOFF_MICROS, 1_000L << (attempts - 1));
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1)));
        return start;
    }

    private void lost(int routines, StorageException reason) {
        faults.log(Level.WARNING, cause(reason), "transaction of " + routines + " routines lost: " + reason.getMessage(), null);
    }

    /** Deletes a few expired entries; returns whether there may be more to delete at once. */
    private boolean purgeStep() {
        try {
            int deleted = session.purgeExpired(System.currentTimeMillis() / 1000, PURGE_LIMIT);
            purged += deleted;
            return deleted > 0;
        } catch (RuntimeException e) {
            String cause = e instanceof StorageException s ? cause(s) : e.getClass().getName();
            faults.log(Level.WARNING, "purge " + cause,
                    "purging expired entries failed; will retry after the purge interval: " + e.getMessage(), null);
            return false;
        }
    }

    /** The kind a failure is logged under: its fault, else its code. */
    static String cause(StorageException e) {
        return e.fault() != null ? e.fault().name() : "code " + e.code();
    }

    long routines() {
        return routines;
    }

    long batches() {
        return batches;
    }

    long commits() {
        return commits;
    }

    long purged() {
        return purged;
    }

    int batchLimit() {
        return batchLimit;
    }

    long retries() {
        return retries;
    }

    long checkpoints() {
        Session s = session;
        return s == null ? 0 : s.checkpoints();
    }
}
