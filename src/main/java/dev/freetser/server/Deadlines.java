package dev.freetser.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sweeper thread that enforces every connection's current deadline. Java sockets have no
 * write timeout and blocking channels ignore SO_TIMEOUT, so instead each connection publishes
 * "give up at time T" and this thread, on a fixed tick, makes late ones give up: it works the
 * same for TCP and Unix sockets and costs a volatile write per phase change on the request path.
 *
 * <p>Deadlines are set from this thread's clock, {@link #now}, the time of its last tick, rather
 * than from {@code System.nanoTime()}: a request changes phase four or five times, and reading the
 * system clock that often cost about 1.5% of the server's time under load. A deadline set from a
 * clock up to one tick behind is given one tick more, so no connection is cut before its time;
 * it may be cut up to two ticks after it.
 */
final class Deadlines implements Runnable {
    private final Set<ConnectionLoop> connections = ConcurrentHashMap.newKeySet();
    private final long tickMillis;
    private final long tickNanos;
    private volatile boolean stopped;
    private volatile long now = System.nanoTime();

    Deadlines(long tickMillis) {
        this.tickMillis = tickMillis;
        this.tickNanos = tickMillis * 1_000_000;
    }

    /** The deadline {@code timeoutNanos} from now, by this thread's clock (see the class comment). */
    long deadlineAfter(long timeoutNanos) {
        return now + timeoutNanos + tickNanos;
    }

    void add(ConnectionLoop c) {
        connections.add(c);
    }

    void remove(ConnectionLoop c) {
        connections.remove(c);
    }

    Set<ConnectionLoop> connections() {
        return connections;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            long t = System.nanoTime();
            now = t;
            for (ConnectionLoop c : connections) {
                c.expireIfLate(t);
            }
        }
    }
}
