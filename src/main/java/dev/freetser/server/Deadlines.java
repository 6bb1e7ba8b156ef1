package dev.freetser.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sweeper thread that enforces every connection's current deadline. Java sockets have no
 * write timeout and blocking channels ignore SO_TIMEOUT, so instead each connection publishes
 * "give up at time T" and this thread, on a fixed tick, makes late ones give up: it works the
 * same for TCP and Unix sockets and costs a volatile write per phase change on the request path.
 */
final class Deadlines implements Runnable {
    private final Set<ConnectionLoop> connections = ConcurrentHashMap.newKeySet();
    private final long tickMillis;
    private volatile boolean stopped;

    Deadlines(long tickMillis) {
        this.tickMillis = tickMillis;
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
            long now = System.nanoTime();
            for (ConnectionLoop c : connections) {
                c.expireIfLate(now);
            }
        }
    }
}
