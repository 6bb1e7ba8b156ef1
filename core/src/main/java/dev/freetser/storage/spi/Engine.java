package dev.freetser.storage.spi;

/**
 * A database behind a {@code StorageQueue}: the queue's storage thread and read threads each open
 * a {@link Session} of their own and use it alone.
 */
public interface Engine {
    /** The database for logs and errors: a path, or a URL without its password. */
    String name();

    /** The storage thread's session; creates the tables if missing. Throws {@code StorageException}. */
    Session openWriter();

    /** A read thread's session, once the writer has set the database up. */
    Session openReader();

    /** Read threads to start; 0 runs reads on the storage thread. */
    int readThreads();

    /** The most routines one transaction may hold. */
    int maxBatchSize();
}
