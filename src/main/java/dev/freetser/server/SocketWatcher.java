package dev.freetser.server;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells connection threads when their socket has bytes to read (or room to write), so that a
 * thread that has just written a response parks without first trying a read that would find
 * nothing. One virtual thread runs the loop: it polls a selector on which every connection is
 * registered once, for reading, and unparks the threads that wait on sockets that became ready.
 *
 * <p>Why not a blocking read on each connection's virtual thread: on the JDK's blocking path a
 * read issued right after a response finds the socket empty, registers the socket with the JDK's
 * poller for one event ({@code epoll_ctl}), parks, and reads again when woken: two reads and an
 * {@code epoll_ctl} per request where one read does. Here a socket stays registered for its
 * whole life and the loop's poll covers every connection at once, so a request costs one read
 * and one write.
 *
 * <p>The selector is level-triggered: a socket that has bytes while its thread is busy (a
 * pipelining client, or one that hung up during a slow handler) would be reported on every
 * poll. The loop then stops watching it for reading until its thread waits again. Only this
 * loop changes what a socket is watched for; a thread asks for changes through a queue.
 *
 * <p>Fairness: the loop's wake-ups go to its carrier's own queue, which a carrier empties before
 * it looks at work submitted from outside (new threads, storage answers, timers, other I/O). A
 * yield does not help: a yielding thread whose carrier's queue is empty goes to an outside queue,
 * and the carrier keeps taking from the queue it took the last task from while that one has any.
 * So the loop, once it has been busy for {@link #FAIR_NANOS} without a pause, parks for a moment
 * on a timer: its carrier then runs every other queue's work before the timer's wake-up. Measured
 * with 256 busy connections on one CPU: a handler's 1 ms sleep took 1.8 to 17 ms (with the JDK's
 * blocking reads it took up to 1.75 s). A pause costs its 50 us, often idle, and a round trip
 * through the JDK's timer thread: every 2 ms that was 2.5% of the loop's time and a few thousand
 * context switches a second, and 1,024 busy connections served 3 to 17% fewer requests than with
 * a pause every 6 ms, for about the same wait of outside work.
 *
 * <p>When no socket is ready the loop may poll for a few tens of microseconds before it blocks
 * (see {@link IdlePoll}): a client that sends its next request right after a response then finds
 * the loop awake, instead of waiting for the JDK's poller to wake it.
 */
final class SocketWatcher implements Runnable {
    private static final System.Logger LOG = System.getLogger("freetser.server");
    /** The longest the loop keeps its carrier busy before it pauses to let outside work run. */
    private static final long FAIR_NANOS = 6_000_000;
    /**
     * How long a pause lasts: long enough that the carrier looks at every other queue before the
     * timer puts the loop back (a 1 ns pause did not: the loop was back first, every time).
     */
    private static final long PAUSE_NANOS = 50_000;
    /** Wake-ups between yields, so that the time to the next pause check stays short. */
    private static final int ROUND = 64;

    private final Selector selector;
    private final long pollNanos;
    private final IdlePoll idlePoll = new IdlePoll();
    /** Watches whose threads this loop woke and that may not have waited on their socket since. */
    private final ArrayList<Watch> woken = new ArrayList<>();
    private final Queue<Watch> requests = new ConcurrentLinkedQueue<>();
    private volatile boolean sleeping;
    private volatile boolean closed;

    SocketWatcher() throws IOException {
        this(IdlePoll.WINDOW_NANOS);
    }

    /** With the loop polling for up to {@code pollNanos} before it blocks (0: never; for tests). */
    SocketWatcher(long pollNanos) throws IOException {
        this.pollNanos = pollNanos;
        selector = Selector.open();
    }

    /** Makes {@code channel} non-blocking and watches it for reading from now on. */
    Watch register(SocketChannel channel) throws IOException {
        return register(channel, SelectionKey.OP_READ);
    }

    /**
     * Makes {@code channel} non-blocking and watches it for connections to accept from now on
     * ({@link Watch#awaitReadable} then waits for one).
     */
    Watch register(ServerSocketChannel channel) throws IOException {
        return register(channel, SelectionKey.OP_ACCEPT);
    }

    private Watch register(SelectableChannel channel, int readOp) throws IOException {
        channel.configureBlocking(false);
        Watch w = new Watch(channel, readOp);
        w.key = channel.register(selector, readOp, w);
        wakeIfSleeping();
        return w;
    }

    /** Ends the loop; call once no connection waits any more. */
    void close() {
        closed = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            long busySince = System.nanoTime();
            while (!closed) {
                applyRequests();
                if (selector.selectNow() == 0 && !pollBriefly()) {
                    sleeping = true;
                    try {
                        if (requests.isEmpty() && !closed) {
                            selector.select();
                        }
                    } finally {
                        sleeping = false;
                    }
                    busySince = System.nanoTime();
                }
                Set<SelectionKey> ready = selector.selectedKeys();
                int woke = 0;
                for (SelectionKey k : ready) {
                    if (((Watch) k.attachment()).ready() && ++woke % ROUND == 0) {
                        busySince = letOthersRun(busySince);
                    }
                }
                ready.clear();
                if (woken.size() > selector.keys().size()) {
                    everyWokenThreadWaits(); // drops closed ones under load that leaves no idle moment
                }
                if (woke % ROUND != 0) {
                    busySince = letOthersRun(busySince);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "socket watcher failed", e);
        } finally {
            // Normally none is left; after a failure, threads must not wait for a loop that ended.
            for (SelectionKey k : selector.keys()) {
                Watch w = (Watch) k.attachment();
                w.close();
            }
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the selector failed: {0}", e.toString());
            }
        }
    }

    /**
     * Polls for up to {@link #pollNanos} when {@link IdlePoll} finds it worth it, yielding to
     * other threads between polls; true once a socket is ready.
     */
    private boolean pollBriefly() throws IOException {
        if (pollNanos == 0 || !everyWokenThreadWaits() || !idlePoll.worthPolling()) {
            return false;
        }
        long start = System.nanoTime();
        boolean found;
        do {
            Thread.yield();
            applyRequests();
            found = selector.selectNow() > 0;
        } while (!found && !closed && System.nanoTime() - start < pollNanos);
        idlePoll.polled(found);
        return found;
    }

    /**
     * Whether every thread this loop woke waits on its socket again, forgetting those that do.
     * While one still runs, the loop does not poll: that thread may itself wait for something
     * that needs the CPU more than a poll does (the storage thread, on a one-CPU machine).
     */
    private boolean everyWokenThreadWaits() {
        int busy = 0;
        for (int i = 0; i < woken.size(); i++) {
            Watch w = woken.get(i);
            if (w.busy()) {
                woken.set(busy++, w);
            } else {
                w.listed = false;
            }
        }
        woken.subList(busy, woken.size()).clear();
        return busy == 0;
    }

    /** Sockets registered and not yet released (for tests). */
    int registered() {
        return selector.keys().size();
    }

    /**
     * Yields to the threads just woken, then, if the loop has been busy for longer than
     * {@link #FAIR_NANOS}, pauses; returns when the current busy stretch began.
     */
    private static long letOthersRun(long busySince) {
        Thread.yield();
        if (System.nanoTime() - busySince <= FAIR_NANOS) {
            return busySince;
        }
        LockSupport.parkNanos(PAUSE_NANOS);
        return System.nanoTime();
    }

    private void applyRequests() {
        for (Watch w; (w = requests.poll()) != null; ) {
            w.apply();
        }
    }

    private void wakeIfSleeping() {
        if (sleeping) {
            selector.wakeup();
        }
    }

    /** One connection's socket as the watcher sees it; awaited by that connection's thread. */
    final class Watch {
        /** The thread runs; the socket is watched for reading (what the next wait needs). */
        private static final int RUNNING = 0;
        /** The thread is parked until the socket is ready for what it is watched for. */
        private static final int WAITING = 1;
        /** The watcher unparked the thread, which has not run yet; reading again. */
        private static final int WOKEN = 2;
        /** The thread runs; bytes came meanwhile, so the socket is not watched. */
        private static final int MUTED = 3;
        /** The thread waits for the watcher to watch the socket for {@link #wanted}. */
        private static final int ASKED = 4;
        /** Woken, and reported ready again before the thread ran: not watched until it waits again. */
        private static final int WOKEN_MUTED = 5;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Watch.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final SelectableChannel channel;
        /** What "readable" means for this channel: bytes to read, or a connection to accept. */
        private final int readOp;
        private SelectionKey key;
        private volatile int state = RUNNING;
        private volatile int wanted;
        private volatile Thread waiter;
        /** Set once the connection is being ended: waits return at once from then on. */
        private volatile boolean cancelled;
        /** Whether the watcher has this watch in its list of woken ones (only the watcher uses it). */
        private boolean listed;

        private Watch(SelectableChannel channel, int readOp) {
            this.channel = channel;
            this.readOp = readOp;
        }

        /** Parks the calling thread until the socket may have bytes to read. */
        void awaitReadable() throws IOException {
            await(readOp);
        }

        /** Parks the calling thread until the socket may take more bytes. */
        void awaitWritable() throws IOException {
            await(SelectionKey.OP_WRITE);
        }

        /**
         * Ends waiting to read for good: the thread's current and later waits for bytes return at
         * once, so that it reads the end of input that whoever calls this has just caused.
         */
        void cancel() {
            cancelled = true;
            Thread t = waiter;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        /** True while bytes wait that nobody waited for (for tests). */
        boolean muted() {
            return state == MUTED;
        }

        /** Closes the channel and lets the watcher release it (a registered socket is closed only then). */
        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.TRACE, "close failed: {0}", e.toString());
            }
            cancel();
            wakeIfSleeping();
        }

        private void await(int op) throws IOException {
            if (cancelled && op == readOp) {
                return;
            }
            waiter = Thread.currentThread();
            if (op != readOp || !STATE.compareAndSet(this, RUNNING, WAITING)) {
                wanted = op;
                int s;
                do {
                    s = state; // RUNNING or MUTED: only the watcher moves between the two
                } while (!STATE.compareAndSet(this, s, ASKED));
                requests.add(this);
                wakeIfSleeping();
            }
            while (!woken() && !(cancelled && op == readOp)) {
                if (!channel.isOpen()) {
                    throw new ClosedChannelException();
                }
                if (Thread.interrupted()) {
                    channel.close();
                    throw new ClosedByInterruptException();
                }
                LockSupport.park(this);
            }
            if (!STATE.compareAndSet(this, WOKEN, RUNNING)) {
                STATE.compareAndSet(this, WOKEN_MUTED, MUTED);
            }
        }

        /** Whether the thread runs rather than waits on the socket (or has ended). */
        private boolean busy() {
            int s = state;
            return s != WAITING && s != ASKED && channel.isOpen();
        }

        private boolean woken() {
            int s = state;
            return s == WOKEN || s == WOKEN_MUTED;
        }

        /** On the watcher: watch the socket for what the thread asked, then wait for it. */
        private void apply() {
            try {
                key.interestOps(wanted);
                state = WAITING;
            } catch (CancelledKeyException e) {
                cancel();
            }
        }

        /** On the watcher: the socket is ready; true if that woke the thread. */
        private boolean ready() {
            try {
                int s = state;
                if (s == WAITING) {
                    if (key.interestOps() != readOp) {
                        key.interestOps(readOp);
                    }
                    state = WOKEN;
                    LockSupport.unpark(waiter);
                    if (!listed) {
                        listed = true;
                        woken.add(this);
                    }
                    return true;
                }
                if ((s == RUNNING && STATE.compareAndSet(this, RUNNING, MUTED))
                        || (s == WOKEN && STATE.compareAndSet(this, WOKEN, WOKEN_MUTED))) {
                    key.interestOps(0);
                }
            } catch (CancelledKeyException e) {
                cancel();
            }
            return false;
        }
    }
}
