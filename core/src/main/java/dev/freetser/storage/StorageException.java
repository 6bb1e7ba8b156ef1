package dev.freetser.storage;

/**
 * A storage failure. {@link #fault()} tells a failure of the store itself (a full disk, a
 * read-only database, an I/O error, too busy, closed) from one of the routine's own making, on
 * every engine. When SQLite reported it, {@link #code()} is SQLite's extended result code (for
 * example 13 SQLITE_FULL, 1555 SQLITE_CONSTRAINT_PRIMARYKEY); when PostgreSQL did, the message
 * ends with its SQLSTATE and the cause is the driver's {@link java.sql.SQLException}; otherwise
 * the code is 0.
 */
public class StorageException extends RuntimeException {
    /**
     * Why the store could not do the work, whatever the routine: conditions of the machine or of
     * the database, not of the request. A server answers them 507 (FULL) or 503, not 500; they
     * pass when the condition does, without a restart. Engine-neutral: each engine maps its own
     * error codes onto these.
     */
    public enum Fault {
        /** No room to write: the disk, or a size limit of the database, is full. Reads go on. */
        FULL("storage is full"),
        /** The database cannot be written: a read-only file, folder or file system. Reads go on. */
        READ_ONLY("storage is read-only"),
        /** Reading or writing failed: an I/O error, a file that cannot be opened, a damaged file. */
        IO("storage cannot read or write its data"),
        /** Too much at once: the queue of routines is full, or the database is locked by another user. */
        BUSY("storage is busy"),
        /** The queue is closed: the application is stopping. */
        CLOSED("storage is closed");

        private final String summary;

        Fault(String summary) {
            this.summary = summary;
        }

        /** One short line saying what failed ({@code "storage is full"}), fit for a client to read. */
        public String summary() {
            return summary;
        }
    }

    private final Fault fault;
    private final int code;

    /** A failure of the routine's own making: no fault, code 0. */
    public StorageException(String message) {
        this(message, null, 0, null);
    }

    /** A failure of the routine's own making, with its cause: no fault, code 0. */
    public StorageException(String message, Throwable cause) {
        this(message, null, 0, cause);
    }

    /** A failure the database reported with this code, of the routine's own making (no fault). */
    public StorageException(String message, int code, Throwable cause) {
        this(message, null, code, cause);
    }

    /**
     * @param fault the store's condition that caused it, or {@code null} when the routine's own
     *              work failed (a constraint, a bad table name, a routine's bug)
     * @param code  the engine's result code, or 0
     */
    public StorageException(String message, Fault fault, int code, Throwable cause) {
        super(message, cause);
        this.fault = fault;
        this.code = code;
    }

    /**
     * The store's condition that caused this failure, or {@code null} when the failure is the
     * routine's own (an existing key, a bad table name, a write in a {@code read} routine, an
     * exception the routine threw): then retrying the same work fails the same way.
     */
    public Fault fault() {
        return fault;
    }

    /** SQLite's extended result code, or 0 when the failure did not come from SQLite. */
    public int code() {
        return code;
    }
}
