package dev.freetser.storage;

/**
 * How much a committed routine survives, for a database file (an in-memory database survives
 * nothing) or a PostgreSQL server. Both modes use the database's write-ahead log; a crash never
 * corrupts the database.
 */
public enum Durability {
    /**
     * {@code PRAGMA synchronous=NORMAL}, the default. Once {@code execute} returns, the change is
     * in the write-ahead log in the operating system's cache: it survives the process dying at
     * any moment (a crash, {@code kill -9}). A power loss or kernel crash may lose the last
     * commits, those not yet flushed to disk at a checkpoint: by default those of about the last
     * 50 ms ({@link SqliteOptions#checkpointInterval}); the database stays consistent.
     *
     * <p>On PostgreSQL, {@code synchronous_commit = off}: COMMIT returns before its log record is
     * flushed. The application crashing loses nothing that {@code execute} returned; PostgreSQL
     * or the machine crashing may lose the last commits, up to about 3 x {@code wal_writer_delay}
     * (600 ms by default), and never leaves the database inconsistent.
     */
    NORMAL,
    /**
     * {@code PRAGMA synchronous=FULL}. The write-ahead log is flushed to disk (fsync) at every
     * COMMIT before {@code execute} returns: a returned change also survives power loss and
     * kernel crashes, on a disk that honours fsync. Costs one fsync per batch of routines.
     *
     * <p>On PostgreSQL, {@code synchronous_commit = on}: the log is flushed to disk at COMMIT
     * before {@code execute} returns, so a returned change survives the application, PostgreSQL
     * and the machine crashing, on a disk that honours fsync.
     */
    FULL
}
