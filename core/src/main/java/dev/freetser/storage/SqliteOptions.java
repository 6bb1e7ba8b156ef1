package dev.freetser.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the SQLite engine alone (other engines ignore it): when the write-ahead log is copied
 * into the database file.
 *
 * @param checkpointPages     the write-ahead log's length, in pages, at which the storage thread
 *                            itself copies what is left of it into the database file and then
 *                            starts the log over (SQLite's {@code wal_autocheckpoint}); a
 *                            checkpoint flushes the log and the file to disk, and routines wait
 * @param checkpointInterval  how soon after a commit a background thread, on its own connection,
 *                            copies the log into the database file while routines go on: under
 *                            {@link Durability#NORMAL}, about the most a power loss can take;
 *                            {@link Duration#ZERO} never (then only {@code checkpointPages} does)
 */
public record SqliteOptions(int checkpointPages, Duration checkpointInterval) {
    /** Validates both values; throws {@link IllegalArgumentException} naming the bad one. */
    public SqliteOptions {
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        StorageOptions.requireRange("checkpointPages", checkpointPages, 1, 10_000_000);
        StorageOptions.requireNotNegative("checkpointInterval", checkpointInterval);
    }

    /**
     * A background checkpoint 50 ms after a commit, and the storage thread's own once the log
     * holds 10,000 pages (40 MB with SQLite's 4 KiB pages). A checkpoint flushes the log and the
     * file to disk, so it runs on a background thread while routines go on; the storage thread's
     * own, which alone can start the log over, come seldom and find little to copy.
     */
    public static SqliteOptions defaults() {
        return new SqliteOptions(10_000, Duration.ofMillis(50));
    }

    public SqliteOptions withCheckpointPages(int checkpointPages) {
        return new SqliteOptions(checkpointPages, checkpointInterval);
    }

    public SqliteOptions withCheckpointInterval(Duration checkpointInterval) {
        return new SqliteOptions(checkpointPages, checkpointInterval);
    }
}
