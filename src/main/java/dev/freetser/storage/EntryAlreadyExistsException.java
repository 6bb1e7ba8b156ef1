package dev.freetser.storage;

/** {@code add} found a live entry under the key. */
public class EntryAlreadyExistsException extends StorageException {
    public EntryAlreadyExistsException(String message) {
        super(message);
    }
}
