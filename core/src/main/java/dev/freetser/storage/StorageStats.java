package dev.freetser.storage;

/**
 * A snapshot of a {@link Store}'s counters since it opened. Counters are read one by one
 * while the threads work, so they may be a routine apart from each other.
 *
 * @param queued       routines waiting for the storage thread
 * @param readsQueued  routines waiting for a read thread
 * @param routines     routines the storage thread has run (committed or not)
 * @param batches      groups of routines the storage thread took from its queue at once
 * @param commits      transactions the storage thread committed
 * @param reads        routines the read threads have run
 * @param rejected     calls refused with {@link StorageBusyException}
 * @param purged       expired entries deleted by the idle purge
 * @param checkpoints  checkpoints the background thread ran after {@link SqliteOptions#checkpointInterval}
 *                     (not counting the storage thread's own at {@link SqliteOptions#checkpointPages}); 0 on
 *                     other engines
 * @param retries      runs of routines again after their transaction conflicted with another
 *                     process's (PostgreSQL); 0 on SQLite, whose one writer never conflicts
 */
public record StorageStats(
        int queued, int readsQueued, long routines, long batches, long commits, long reads, long rejected, long purged,
        long checkpoints, long retries) {

    /** Routines per batch on average; 0 before the first batch. */
    public double meanBatchSize() {
        return batches == 0 ? 0 : (double) routines / batches;
    }
}
