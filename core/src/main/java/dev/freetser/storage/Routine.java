package dev.freetser.storage;

/** A unit of work run on the storage thread inside one transaction. */
@FunctionalInterface
public interface Routine<T> {
    T run(Storage storage);
}
