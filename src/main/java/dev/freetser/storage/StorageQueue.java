package dev.freetser.storage;

import java.nio.file.Path;
import java.util.List;

/** Runs routines on the single storage thread, each in a transaction. Thread-safe. */
public final class StorageQueue implements AutoCloseable {
    private StorageQueue() {
    }

    /** Opens (creating if needed) the database file and the tables. */
    public static StorageQueue open(Path path, List<String> tables) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Runs the routine on the storage thread in a transaction and returns its result after COMMIT. */
    public <T> T execute(Routine<T> routine) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Runs what is queued, then closes the database. Idempotent. */
    @Override
    public void close() {
    }
}
