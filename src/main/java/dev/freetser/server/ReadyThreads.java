package dev.freetser.server;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Virtual threads started ahead of the connections they will serve, each parked until it is
 * handed one; every thread serves one connection and ends with it.
 *
 * <p>Why not start a thread per connection when it is accepted: on JDK 25 {@code Thread.start()}
 * puts a new virtual thread in the scheduler's queue for outside submissions, even when called
 * from a carrier, and a carrier takes from that queue only once its own queue is empty. Under
 * sustained keep-alive load its own queue rarely empties (the socket watcher keeps waking
 * connection threads into it and lets outside work in only every few milliseconds; with the
 * JDK's blocking reads, before the watcher, a new connection's thread waited up to 3 s for its
 * first run, 256 busy connections on one CPU). Unparking a thread from a carrier puts it
 * in that carrier's own queue, in turn with the others: so the accept loop hands each connection
 * to a parked thread and starts a replacement, which has time to get ready before it is needed.
 * With none ready (a burst of connections), a connection gets a thread of its own as before.
 *
 * <p>The pool starts small and grows by one thread with each connection until it reaches its
 * target: threads started with the server park while their code still runs in the interpreter,
 * whose frames are larger, and a parked virtual thread's frames are copied to the heap, where
 * those of a thread's first wait stay for as long as it lives.
 */
final class ReadyThreads {
    private static final System.Logger LOG = System.getLogger("freetser.server");
    private static final Runnable ENDED = () -> { };

    private final ThreadFactory factory;
    private final Queue<Ready> parked = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Threads still to add, one per task handed over, on top of the replacements. */
    private final AtomicInteger toAdd = new AtomicInteger();

    ReadyThreads(ThreadFactory factory) {
        this.factory = factory;
    }

    /** Starts {@code count} threads, which become ready as soon as they first run. */
    void start(int count) {
        for (int i = 0; i < count; i++) {
            factory.newThread(new Ready()).start();
        }
    }

    /** Starts {@code now} threads, then one more with each task until {@code target} are ready. */
    void start(int now, int target) {
        toAdd.set(Math.max(0, target - now));
        start(now);
    }

    /**
     * Runs {@code task} on a ready thread and starts a replacement, or on a new thread if none is
     * ready, and while the pool grows starts one more; {@code bind} gets the thread before the
     * task can begin.
     */
    void run(Runnable task, Consumer<Thread> bind) {
        for (Ready ready; (ready = parked.poll()) != null; ) {
            bind.accept(ready.thread);
            if (ready.task.compareAndSet(null, task)) {
                LockSupport.unpark(ready.thread);
                startReady(grow() ? 2 : 1);
                return;
            }
            // It saw close() and ended: try the next one, or a thread of its own.
        }
        Thread thread = factory.newThread(task);
        bind.accept(thread);
        thread.start();
        if (grow()) {
            startReady(1);
        }
    }

    private boolean grow() {
        return toAdd.get() > 0 && toAdd.getAndDecrement() > 0;
    }

    /** The task is handed over already: a failure here only leaves fewer threads ready. */
    private void startReady(int count) {
        if (closed.get()) {
            return;
        }
        try {
            start(count);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not start a thread for the next connection: {0}", e.toString());
        }
    }

    /** How many threads are parked, ready for a connection. */
    int waiting() {
        return parked.size();
    }

    /** The threads parked right now (for tests). */
    List<Thread> waitingThreads() {
        return parked.stream().map(r -> r.thread).toList();
    }

    /** Ends the threads that are ready and every one that becomes ready from now on. Idempotent. */
    void close() {
        closed.set(true);
        for (Ready r; (r = parked.poll()) != null; ) {
            LockSupport.unpark(r.thread);
        }
    }

    private final class Ready implements Runnable {
        private volatile Thread thread;
        /** Null while ready; the task once handed one, or {@link #ENDED} once it ended unused. */
        private final AtomicReference<Runnable> task = new AtomicReference<>();

        @Override
        public void run() {
            thread = Thread.currentThread();
            parked.add(this);
            // After the add: close() either finds this one in the queue and unparks it, or has
            // already set closed, which the loop sees before it parks.
            Runnable t;
            while ((t = task.get()) == null) {
                if (closed.get() && task.compareAndSet(null, ENDED)) {
                    parked.remove(this);
                    return;
                }
                LockSupport.park(this);
            }
            t.run();
        }
    }
}
