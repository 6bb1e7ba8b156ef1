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
 * @param checkpointPages     the write-ahead log's length, in pages, at which a commit copies it
 *                            into the database file (SQLite's {@code wal_autocheckpoint}); each
 *                            such checkpoint flushes the log and the file to disk
 * @param checkpointInterval  how soon after a commit the storage thread checkpoints on its own,
 *                            whatever the log's length: under {@link Durability#NORMAL}, about
 *                            the most a power loss can take while writes are few; {@link
 *                            Duration#ZERO} never (then only {@code checkpointPages} does)
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
     * routines at most, as many read threads as processors but at most 4, no purge, a checkpoint
     * once the log holds 1,000 pages (SQLite's own default) or one second after a commit.
     *
     * <p>A longer log means fewer checkpoints but longer ones: each flushes the whole log to disk,
     * and routines wait meanwhile. With 10,000 pages, 64 to 1,024 clients updating random keys in
     * a 10,000-key table were served 0 to 9% more requests a second, but their p99 latency at 64
     * clients was 16 to 18 ms instead of 4 to 4.6 (2,500 pages: 5.8 to 6.1 ms, throughput alike).
     *
     * <p>A larger batch dirties fewer pages per routine: routines on random keys share the
     * table's leaf pages, and each page changed in a transaction is written to the log once. With
     * clients updating random keys of a 10,000-key table through the demo, a limit of 1,024
     * served 11 to 35% more requests a second than 64 did at 256 clients and 1 to 25% more at
     * 1,024, with a lower p99. The price: the first routine of a batch waits for the whole
     * batch's COMMIT, there about 8 ms for 1,024 routines.
     */
    public static StorageOptions defaults() {
        int readThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
        return new StorageOptions(Durability.NORMAL, true, 1_024, 10_000, readThreads, Duration.ZERO, 1_000,
                Duration.ofSeconds(1));
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
