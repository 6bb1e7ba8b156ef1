package dev.freetser.storage;

/**
 * A platform thread that runs routines: the storage thread or a read thread. Its class lets
 * {@link StorageQueue} tell at once that a routine is calling back into a queue, which would
 * otherwise wait for itself. Daemon: committed work is already durable, so a forgotten
 * {@code close()} must not keep the JVM alive.
 */
final class StorageThread extends Thread {
    StorageThread(Runnable body, String name) {
        super(null, body, name, 0, false);
        setDaemon(true);
    }

    static boolean current() {
        return Thread.currentThread() instanceof StorageThread;
    }

    void joinUninterruptibly() {
        uninterruptibly(this::join);
    }

    /** A wait that may be interrupted. */
    interface Blocking {
        void run() throws InterruptedException;
    }

    /** Completes the wait whatever the interrupts, then restores the interrupt status. */
    static void uninterruptibly(Blocking wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.run();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
