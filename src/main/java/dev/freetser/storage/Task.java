package dev.freetser.storage;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * One routine on its way to a storage or read thread, and the hand-off of its outcome back to
 * the caller. The caller parks until the worker has set the outcome and unparked it: a virtual
 * thread unmounts while it waits and no monitor is held. This object is the only allocation the
 * hand-off needs (no future, no queue node).
 */
final class Task<T> {
    /** Tells the worker that takes it to stop. */
    static final Task<Void> STOP = new Task<>();
    private static final ThreadFactory ANSWERS = Thread.ofVirtual().name("freetser-answers").factory();

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

    Throwable failure() {
        return failure;
    }

    boolean isDone() {
        return done;
    }

    /**
     * Worker: hands the outcomes of {@code tasks[from, to)} to their callers. A platform thread
     * waking a virtual thread submits it to the scheduler from outside, which often also wakes an
     * idle carrier: a few microseconds each, paid by the one storage thread. So several callers are
     * woken by a virtual thread instead, whose wake-ups go to its carrier's own queue.
     */
    static void finishAll(List<Task<?>> tasks, int from, int to) {
        if (to - from == 1) {
            tasks.get(from).finish();
        } else if (to > from) {
            Task<?>[] done = tasks.subList(from, to).toArray(new Task<?>[0]);
            ANSWERS.newThread(() -> {
                for (Task<?> task : done) {
                    task.finish();
                }
            }).start();
        }
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
