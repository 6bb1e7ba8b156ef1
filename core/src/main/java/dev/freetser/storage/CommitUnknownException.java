package dev.freetser.storage;

/**
 * The connection to the database was lost while it committed: the routine's changes may or may
 * not have been committed, and the routine was not run again. Check the stored data before
 * doing the work again. Its fault is {@link Fault#IO}.
 */
public class CommitUnknownException extends StorageException {
    public CommitUnknownException(String message, Throwable cause) {
        super(message, Fault.IO, 0, cause);
    }
}
