package dev.freetser.storage;

/** A routine given to {@link StorageQueue#read} tried to change data; use {@code execute} for that. */
public class StorageReadOnlyException extends StorageException {
    public StorageReadOnlyException(String message) {
        super(message);
    }
}
