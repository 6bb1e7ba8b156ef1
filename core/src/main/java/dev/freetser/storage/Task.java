package dev.freetser.storage;

import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One routine on its way to a storage or read thread, and the hand-off of its outcome back to
 * the caller. The caller parks until its outcome is set and it is unparked (by {@link Answers},
 * or by the worker itself when the task never ran): a virtual thread unmounts while it waits and
 * no monitor is held. No future per routine; the queues hold the task itself.
 */
final class Task<T> {
    /** Tells the worker that takes it to stop. */
    static final Task<Void> STOP = new Task<>();

    final Routine<T> routine;
    final boolean readOnly;
    private final Thread caller;
    private T result;
    private Throwable failure;
    private volatile boolean done;

    Task(Routine<T> routine, boolean readOnly) {
        this.routine = Objects.requireNonNull(routine, "routine");
        this.readOnly = readOnly;
        this.caller = Thread.currentThread();
    }

    private Task() {
        this.routine = null;
        this.readOnly = true;
        this.caller = null;
    }

    /** Worker: runs the routine, keeping its result or what it threw; returns whether it returned. */
    boolean run(Storage storage) {
        try {
            result = routine.run(storage);
            return true;
        } catch (Throwable t) {
            failure = t;
            return false;
        }
    }

    /** Worker: the routine's result did not commit. A failure the routine threw itself is kept. */
    void fail(Throwable reason) {
        if (failure == null) {
            failure = reason;
            result = null;
        }
    }

    /** Worker: forgets the outcome of a run that is rolled back to be run again. */
    void reset() {
        result = null;
        failure = null;
    }

    Throwable failure() {
        return failure;
    }

    boolean isDone() {
        return done;
    }

    /** Worker: hands the outcome to the caller; called once per task. */
    void finish() {
        done = true;
        LockSupport.unpark(caller);
    }

    /**
     * Caller: waits for the outcome, then returns the result or throws the routine's own
     * exception object. Interrupts do not end the wait (the routine may be committing); the
     * interrupt status is kept for the caller.
     */
    T await() {
        boolean interrupted = false;
        while (!done) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure == null) {
            return result;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new StorageException("the routine threw a checked exception", failure);
    }

    /** Puts {@link #STOP} in the queue, waiting for room if needed, whatever the interrupts. */
    static void stop(BlockingQueue<Task<?>> queue) {
        StorageThread.uninterruptibly(() -> queue.put(STOP));
    }
}
