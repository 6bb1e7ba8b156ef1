package dev.freetser.storage;

/**
 * {@code add} found a live entry under the key. Its {@link #code()} is SQLite's
 * SQLITE_CONSTRAINT_PRIMARYKEY (1555) whichever {@code add} variant found it.
 */
public class EntryAlreadyExistsException extends StorageException {
    /** SQLite's extended result code for a duplicate primary key. */
    public static final int SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

    public EntryAlreadyExistsException(String message) {
        this(message, null);
    }

    public EntryAlreadyExistsException(String message, Throwable cause) {
        super(message, SQLITE_CONSTRAINT_PRIMARYKEY, cause);
    }
}
