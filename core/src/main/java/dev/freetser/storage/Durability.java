package dev.freetser.storage;

/**
 * How much a committed routine survives, for a database file (an in-memory database survives
 * nothing). Both modes use SQLite's write-ahead log; a crash never corrupts the file.
 */
public enum Durability {
    /**
     * {@code PRAGMA synchronous=NORMAL}, the default. Once {@code execute} returns, the change is
     * in the write-ahead log in the operating system's cache: it survives the process dying at
     * any moment (a crash, {@code kill -9}). A power loss or kernel crash may lose the last
     * commits, those not yet flushed to disk at a checkpoint: by default those of about the last
     * 50 ms ({@link StorageOptions#checkpointInterval}); the database stays consistent.
     */
    NORMAL,
    /**
     * {@code PRAGMA synchronous=FULL}. The write-ahead log is flushed to disk (fsync) at every
     * COMMIT before {@code execute} returns: a returned change also survives power loss and
     * kernel crashes, on a disk that honours fsync. Costs one fsync per batch of routines.
     */
    FULL
}
