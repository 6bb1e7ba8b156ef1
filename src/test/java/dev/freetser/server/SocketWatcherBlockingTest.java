package dev.freetser.server;

/** {@link SocketWatcherTest} with a loop that blocks as soon as no socket is ready, never polling. */
class SocketWatcherBlockingTest extends SocketWatcherTest {
    @Override
    long pollNanos() {
        return 0;
    }
}
