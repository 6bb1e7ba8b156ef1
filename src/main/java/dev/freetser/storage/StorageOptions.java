package dev.freetser.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning for a {@link StorageQueue}. Start from {@link #defaults()} and change what you need:
 * {@code StorageOptions.defaults().withDurability(Durability.FULL)}.
 *
 * @param durability     what a committed routine survives (see {@link Durability})
 * @param groupCommit    whether routines waiting together share one transaction, each in its
 *                       own SAVEPOINT; when off, every routine gets its own transaction
 * @param maxBatchSize   the most routines the storage thread takes at once: in one transaction
 *                       with group commit, one after another without; their callers are woken together
 * @param queueCapacity  the most routines waiting for the storage thread (and, separately, for
 *                       the read threads); beyond it {@link StorageBusyException} is thrown
 * @param readThreads    threads with read-only connections serving {@link StorageQueue#read};
 *                       0 runs reads on the storage thread (always so for {@code :memory:})
 * @param purgeInterval  how often the idle storage thread deletes expired entries, a few
 *                       hundred per table at a time; {@link Duration#ZERO} (the default) never
 * @param checkpointPages     the write-ahead log's length, in pages, at which the storage thread
 *                            itself copies what is left of it into the database file and then
 *                            starts the log over (SQLite's {@code wal_autocheckpoint}); a
 *                            checkpoint flushes the log and the file to disk, and routines wait
 * @param checkpointInterval  how soon after a commit a background thread, on its own connection,
 *                            copies the log into the database file while routines go on: under
 *                            {@link Durability#NORMAL}, about the most a power loss can take;
 *                            {@link Duration#ZERO} never (then only {@code checkpointPages} does)
 */
public record StorageOptions(
        Durability durability,
        boolean groupCommit,
        int maxBatchSize,
        int queueCapacity,
        int readThreads,
        Duration purgeInterval,
        int checkpointPages,
        Duration checkpointInterval) {

    /** Validates every value; throws {@link IllegalArgumentException} naming the bad one. */
    public StorageOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(purgeInterval, "purgeInterval");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        requireRange("maxBatchSize", maxBatchSize, 1, 100_000);
        requireRange("queueCapacity", queueCapacity, 1, 1_000_000);
        requireRange("readThreads", readThreads, 0, 64);
        requireRange("checkpointPages", checkpointPages, 1, 10_000_000);
        requireNotNegative("purgeInterval", purgeInterval);
        requireNotNegative("checkpointInterval", checkpointInterval);
    }

    /**
     * NORMAL durability, group commit on with up to 1,024 routines per transaction, 10,000 waiting
     * routines at most, as many read threads as processors but at most 4, no purge, a background
     * checkpoint 50 ms after a commit, and the storage thread's own once the log holds 10,000
     * pages (40 MB with SQLite's 4 KiB pages).
     *
     * <p>A checkpoint flushes the log and the file to disk, so it runs on a background thread
     * while routines go on; the storage thread's own, which alone can start the log over, come
     * seldom and find little to copy. A large batch dirties fewer pages per routine (routines on
     * random keys share leaf pages, each written to the log once per transaction); the price is
     * that a batch's first routine waits for the whole batch's COMMIT. Measurements behind both
     * defaults are in the project's CHANGELOG and {@code bench/RESULTS.md}.
     */
    public static StorageOptions defaults() {
        int readThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
        return new StorageOptions(Durability.NORMAL, true, 1_024, 10_000, readThreads, Duration.ZERO, 10_000,
                Duration.ofMillis(50));
    }

    public StorageOptions withDurability(Durability durability) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval,
                checkpointPages, checkpointInterval);
    }

    public StorageOptions withGroupCommit(boolean groupCommit) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval,
                checkpointPages, checkpointInterval);
    }

    public StorageOptions withMaxBatchSize(int maxBatchSize) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval,
                checkpointPages, checkpointInterval);
    }

    public StorageOptions withQueueCapacity(int queueCapacity) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval,
                checkpointPages, checkpointInterval);
    }

    public StorageOptions withReadThreads(int readThreads) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval,
                checkpointPages, checkpointInterval);
    }

    public StorageOptions withPurgeInterval(Duration purgeInterval) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval,
                checkpointPages, checkpointInterval);
    }

    public StorageOptions withCheckpointPages(int checkpointPages) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval,
                checkpointPages, checkpointInterval);
    }

    public StorageOptions withCheckpointInterval(Duration checkpointInterval) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval,
                checkpointPages, checkpointInterval);
    }

    private static void requireNotNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
