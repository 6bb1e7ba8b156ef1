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
 * Virtual threads parked ahead of the connections they will serve, each until it is handed one;
 * a thread whose connection has ended parks again for the next, up to a limit.
 *
 * <p>Why not start a thread per connection when it is accepted: on JDK 25 {@code Thread.start()}
 * puts a new virtual thread in the scheduler's queue for outside submissions, even when called
 * from a carrier, and a carrier takes from that queue only once its own queue is empty. Under
 * sustained keep-alive load its own queue rarely empties (the socket watcher keeps waking
 * connection threads into it and lets outside work in only every few milliseconds; with the
 * JDK's blocking reads, before the watcher, a new connection's thread waited up to 3 s for its
 * first run, 256 busy connections on one CPU). Unparking a thread from a carrier puts it
 * in that carrier's own queue, in turn with the others: so the accept loop hands each connection
 * to a parked thread. With none ready (a burst of connections), a connection gets a thread of
 * its own as before.
 *
 * <p>Why threads serve connection after connection: a thread's objects (its {@code
 * VirtualThread}, continuation and the stack chunks its frames are copied to when it parks) live
 * as long as a connection, long enough to reach the old generation, where they stay after it
 * ends until a full collection, which a server with room in its heap may never run. A thread
 * that parks again instead keeps them in use.
 *
 * <p>The pool starts small, as its reserve: threads started with the server park while their
 * code still runs in the interpreter, whose frames are larger, and a parked virtual thread's frames
 * are copied to the heap, where those of a thread's first wait stay for as long as it lives. A
 * thread handed out while fewer than the reserve wait is replaced at once; threads whose task
 * ended park again until the target waits, so the pool grows to the largest burst it has seen.
 */
final class ReadyThreads {
    private static final System.Logger LOG = System.getLogger("freetser.server");
    private static final Runnable ENDED = () -> { };

    private final ThreadFactory factory;
    private final Queue<Ready> parked = new ConcurrentLinkedQueue<>();
    /** The size of {@link #parked}, kept apart because counting a queue walks it. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Handing a thread out while fewer than this wait starts a replacement. */
    private volatile int reserve;
    /** A thread whose task ended parks again only while fewer than this wait. */
    private volatile int target;

    ReadyThreads(ThreadFactory factory) {
        this.factory = factory;
    }

    /**
     * Starts {@code reserve} threads, which become ready as soon as they first run; from then on
     * a thread handed out while fewer than {@code reserve} wait is replaced, and a thread whose
     * task ended parks again while fewer than {@code target} wait.
     */
    void start(int reserve, int target) {
        this.reserve = reserve;
        this.target = Math.max(reserve, target);
        startThreads(reserve);
    }

    private void startThreads(int count) {
        for (int i = 0; i < count; i++) {
            factory.newThread(new Ready(null)).start();
        }
    }

    /**
     * Runs {@code task} on a ready thread, replaced if the reserve runs short, or on a new thread
     * if none is ready; {@code bind} gets the thread before the task can begin.
     */
    void run(Runnable task, Consumer<Thread> bind) {
        for (Ready ready; (ready = parked.poll()) != null; ) {
            int left = waiting.decrementAndGet();
            bind.accept(ready.thread);
            if (ready.task.compareAndSet(null, task)) {
                LockSupport.unpark(ready.thread);
                if (left < reserve) {
                    startReady();
                }
                return;
            }
            // It saw close() and ended: try the next one, or a thread of its own.
        }
        Thread thread = factory.newThread(new Ready(task));
        bind.accept(thread);
        thread.start();
    }

    /** The task is handed over already: a failure here only leaves fewer threads ready. */
    private void startReady() {
        if (closed.get()) {
            return;
        }
        try {
            startThreads(1);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not start a thread for the next connection: {0}", e.toString());
        }
    }

    /** How many threads are parked, ready for a connection. */
    int waiting() {
        return waiting.get();
    }

    /** The threads parked right now (for tests). */
    List<Thread> waitingThreads() {
        return parked.stream().map(r -> r.thread).toList();
    }

    /** Ends the threads that are ready and every one that becomes ready from now on. Idempotent. */
    void close() {
        closed.set(true);
        for (Ready r; (r = parked.poll()) != null; ) {
            waiting.decrementAndGet();
            LockSupport.unpark(r.thread);
        }
    }

    private final class Ready implements Runnable {
        private volatile Thread thread;
        /** Null while ready; the task once handed one, or {@link #ENDED} once it ended unused. */
        private final AtomicReference<Runnable> task;

        /** {@code first}: the task of a thread started for it, or null for one that waits for a task. */
        Ready(Runnable first) {
            task = new AtomicReference<>(first);
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            Runnable t = task.get();
            while (t != null || (t = awaitTask()) != null) {
                t.run();
                if (closed.get() || waiting.get() >= target) {
                    return;
                }
                Thread.interrupted(); // a task may leave its thread interrupted; the next one starts clean
                task.set(null);
                t = null;
            }
        }

        /** Parks until handed a task; null once closed. */
        private Runnable awaitTask() {
            waiting.incrementAndGet();
            parked.add(this);
            // After the add: close() either finds this one in the queue and unparks it, or has
            // already set closed, which the loop sees before it parks.
            Runnable t;
            while ((t = task.get()) == null) {
                if (closed.get() && task.compareAndSet(null, ENDED)) {
                    if (parked.remove(this)) {
                        waiting.decrementAndGet();
                    }
                    return null;
                }
                LockSupport.park(this);
            }
            return t;
        }
    }
}
