package dev.freetser.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning for a {@link Store}, on every engine. Start from {@link #defaults()} and change what you
 * need: {@code StorageOptions.defaults().withDurability(Durability.FULL)}.
 *
 * @param durability     what a committed routine survives (see {@link Durability})
 * @param groupCommit    whether routines waiting together share one transaction, each in its
 *                       own SAVEPOINT; when off, every routine gets its own transaction
 * @param maxBatchSize   the most routines the storage thread takes at once: in one transaction
 *                       with group commit, one after another without; their callers are woken
 *                       together (PostgreSQL takes at most 64)
 * @param queueCapacity  the most routines waiting for the storage thread (and, separately, for
 *                       the read threads); beyond it {@link StorageBusyException} is thrown
 * @param readThreads    threads with read-only connections serving {@link Store#read};
 *                       0 runs reads on the storage thread (always so for {@code :memory:})
 * @param purgeInterval  how often the idle storage thread deletes expired entries, a few
 *                       hundred per table at a time; {@link Duration#ZERO} (the default) never
 * @param sqlite         the SQLite engine's own tuning (checkpoints); other engines ignore it
 */
public record StorageOptions(
        Durability durability,
        boolean groupCommit,
        int maxBatchSize,
        int queueCapacity,
        int readThreads,
        Duration purgeInterval,
        SqliteOptions sqlite) {

    /** Validates every value; throws {@link IllegalArgumentException} naming the bad one. */
    public StorageOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(purgeInterval, "purgeInterval");
        Objects.requireNonNull(sqlite, "sqlite");
        requireRange("maxBatchSize", maxBatchSize, 1, 100_000);
        requireRange("queueCapacity", queueCapacity, 1, 1_000_000);
        requireRange("readThreads", readThreads, 0, 64);
        requireNotNegative("purgeInterval", purgeInterval);
    }

    /**
     * NORMAL durability, group commit on with up to 1,024 routines per transaction, 10,000 waiting
     * routines at most, as many read threads as processors but at most 4, no purge, and
     * {@link SqliteOptions#defaults()}.
     *
     * <p>A large batch dirties fewer pages per routine (routines on random keys share leaf pages,
     * each written to the log once per transaction); the price is that a batch's first routine
     * waits for the whole batch's COMMIT. Measurements behind the defaults are in the project's
     * CHANGELOG and {@code bench/RESULTS.md}.
     */
    public static StorageOptions defaults() {
        int readThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
        return new StorageOptions(Durability.NORMAL, true, 1_024, 10_000, readThreads, Duration.ZERO,
                SqliteOptions.defaults());
    }

    public StorageOptions withDurability(Durability durability) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval, sqlite);
    }

    public StorageOptions withGroupCommit(boolean groupCommit) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval, sqlite);
    }

    public StorageOptions withMaxBatchSize(int maxBatchSize) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval, sqlite);
    }

    public StorageOptions withQueueCapacity(int queueCapacity) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval, sqlite);
    }

    public StorageOptions withReadThreads(int readThreads) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval, sqlite);
    }

    public StorageOptions withPurgeInterval(Duration purgeInterval) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval, sqlite);
    }

    public StorageOptions withSqlite(SqliteOptions sqlite) {
        return new StorageOptions(durability, groupCommit, maxBatchSize, queueCapacity, readThreads, purgeInterval, sqlite);
    }

    static void requireNotNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
