package dev.freetser.storage;

/**
 * A unit of work run on the storage thread inside one transaction.
 *
 * <p>A routine may run more than once. On a store shared by several processes (PostgreSQL), a
 * transaction that conflicts with another process's is rolled back and its routines run again;
 * only the run that committed has its result returned, the others' results and exceptions are
 * dropped. So a routine must have no effect outside {@link Storage}: no sending mail, no
 * counters of its own, no writes to fields other threads read. Do such work after
 * {@code execute} returns. ({@link StorageStats#retries()} counts the runs again.)
 */
@FunctionalInterface
public interface Routine<T> {
    T run(Storage storage);
}
