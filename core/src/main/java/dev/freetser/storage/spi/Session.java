package dev.freetser.storage.spi;

import dev.freetser.storage.Storage;

/**
 * One connection, used by one platform thread only: the storage thread (writes) or a read
 * thread. Methods throw {@code StorageException} when the database fails.
 */
public interface Session extends AutoCloseable {
    /** The operations inside the open transaction. */
    Storage storage();

    /** The same, refusing every change: for read routines run on the storage thread. */
    Storage readOnlyStorage();

    /** Begins a transaction: serializable for the writer, a read-only snapshot for a reader. */
    void begin();

    /**
     * Commits. Throws {@code CommitUnknownException} when the outcome cannot be known (the
     * connection was lost after COMMIT was sent).
     */
    void commit();

    /** Ends the transaction, if the database has not already; never throws. */
    void rollback();

    /** A routine of a batch starts (SQLite: its first change opens a savepoint). */
    void startRoutine();

    /**
     * The routine ended: rolls its changes back if it failed; returns whether it changed data.
     * Throws when the transaction itself is lost, or, when the engine cannot undo the routine
     * alone, an exception it calls {@link #retryable} (the batch then runs one routine per
     * transaction).
     */
    boolean endRoutine(boolean failed);

    /**
     * Whether a transaction that failed this way (before its COMMIT) may succeed if run again: a
     * serialization failure, a deadlock, a lock timeout, a connection lost (the next
     * {@link #begin} then connects again). Such runs are retried.
     */
    default boolean retryable(RuntimeException failure) {
        return false;
    }

    /** Deletes up to {@code limit} expired entries per table in a transaction of its own; returns how many. */
    int purgeExpired(long now, int limit);

    /** Background checkpoints so far (SQLite), for stats. */
    default long checkpoints() {
        return 0;
    }

    @Override
    void close();
}
