package dev.freetser.storage;

/**
 * A storage failure. When SQLite reported it, {@link #code()} is SQLite's extended result code
 * (for example 13 SQLITE_FULL, 1555 SQLITE_CONSTRAINT_PRIMARYKEY); otherwise the code is 0.
 */
public class StorageException extends RuntimeException {
    private final int code;

    public StorageException(String message) {
        this(message, 0, null);
    }

    public StorageException(String message, Throwable cause) {
        this(message, 0, cause);
    }

    public StorageException(String message, int code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** SQLite's extended result code, or 0 when the failure did not come from the database. */
    public int code() {
        return code;
    }
}
