package dev.freetser.storage;

/**
 * The queue of waiting routines is full ({@link StorageOptions#queueCapacity()}); nothing was
 * run. Thrown at once instead of letting the queue grow; its {@link #fault()} is
 * {@link StorageException.Fault#BUSY}, so an HTTP server can answer 503.
 */
public class StorageBusyException extends StorageException {
    public StorageBusyException(String message) {
        super(message, Fault.BUSY, 0, null);
    }
}
