package dev.freetser.server;

/**
 * Decides, each time the socket watcher finds no socket ready, whether it polls again for a
 * short while before it blocks. Blocking costs the request that comes next: the watcher is then
 * woken through the JDK's poller thread, and its carrier from sleep, which on loopback took
 * longer than the rest of a small request (a client that sends each request as soon as it has the
 * last response waited 59 us for each at the median; polling: 23 us). Polling pays only
 * when requests follow each other closely, so after a poll that found nothing the next idle
 * periods block at once: one, then twice as many after each further miss, up to
 * {@link #MAX_SKIP}. Sparse traffic thus costs at most one poll window per that many idle
 * periods. Used by the watcher's loop only.
 */
final class IdlePoll {
    /** How long one poll lasts before the watcher gives up and blocks. */
    static final long WINDOW_NANOS = 50_000;
    static final int MAX_SKIP = 64;

    private int skip;
    private int nextSkip = 1;

    /** Whether to poll in this idle period. */
    boolean worthPolling() {
        if (skip > 0) {
            skip--;
            return false;
        }
        return true;
    }

    /** Reports whether the poll found a socket ready before its window ended. */
    void polled(boolean found) {
        if (found) {
            nextSkip = 1;
        } else {
            skip = nextSkip;
            nextSkip = Math.min(nextSkip * 2, MAX_SKIP);
        }
    }
}
