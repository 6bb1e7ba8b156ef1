package dev.freetser.storage;

/**
 * A routine given to {@link StorageQueue#read} tried to change data; use {@code execute} for that.
 * The routine's own mistake: its {@link #fault()} is {@code null}, unlike a database that cannot
 * be written ({@link StorageException.Fault#READ_ONLY}).
 */
public class StorageReadOnlyException extends StorageException {
    public StorageReadOnlyException(String message) {
        super(message);
    }
}
