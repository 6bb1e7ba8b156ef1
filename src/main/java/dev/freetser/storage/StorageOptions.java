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
 */
public record StorageOptions(
        Durability durability,
        boolean groupCommit,
        int maxBatchSize,
        int queueCapacity,
        int readThreads,
        Duration purgeInterval) {

    /** Validates every value; throws {@link IllegalArgumentException} naming the bad one. */
    public StorageOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(purgeInterval, "purgeInterval");
        requireRange("maxBatchSize", maxBatchSize, 1, 100_000);
        requireRange("queueCapacity", queueCapacity, 1, 1_000_000);
        requireRange("readThreads", readThreads, 0, 64);
        if (purgeInterval.isNegative()) {
            throw new IllegalArgumentException("purgeInterval must not be negative, was " + purgeInterval);
        }
    }

    /**
     * NORMAL durability, group commit on with up to 64 routines per transaction, 10,000 waiting
     * routines at most, as many read threads as processors but at most 4, no purge.
     */
    public static StorageOptions defaults() {
        int readThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
        return new StorageOptions(Durability.NORMAL, true, 64, 10_000, readThreads, Duration.ZERO);
    }

    public StorageOptions withDurability(Durability durability) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval);
    }

    public StorageOptions withGroupCommit(boolean groupCommit) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval);
    }

    public StorageOptions withMaxBatchSize(int maxBatchSize) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval);
    }

    public StorageOptions withQueueCapacity(int queueCapacity) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval);
    }

    public StorageOptions withReadThreads(int readThreads) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval);
    }

    public StorageOptions withPurgeInterval(Duration purgeInterval) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
