package dev.freetser.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes the callers of finished routines, for the storage and read threads.
 *
 * <p>Why not {@code LockSupport.unpark} from those platform threads: waking a virtual thread from
 * a platform thread submits it to the scheduler from outside, and a carrier takes outside
 * submissions only once its own queue is empty. Under socket load that queue is rarely empty (the
 * JDK's socket poller runs on the carrier and keeps waking connections into it): with 64 busy
 * connections on one core, a virtual thread woken from outside waited up to 5 s. Here the workers queue each
 * finished batch and write a byte into a pipe; one virtual thread reads the pipe and wakes the
 * batch's callers. The pipe's readiness reaches that thread through the same poller as the
 * sockets', so callers take their turn with the connections instead of after them. One byte is
 * written per wake-up of that thread, however many batches it then answers.
 */
final class Answers implements AutoCloseable {
    private static final byte[] WAKE_UP = {1};

    private final Pipe pipe;
    private final Queue<Task<?>[]> finished = new ConcurrentLinkedQueue<>();
    /** Set by the worker that writes the wake-up byte, cleared by the answering thread before it drains. */
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Thread thread;

    private Answers() {
        try {
            this.pipe = Pipe.open();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the pipe that wakes storage callers", e);
        }
        this.thread = Thread.ofVirtual().name("freetser-answers").start(this::run);
    }

    static Answers start() {
        return new Answers();
    }

    /** Worker: the outcomes of {@code tasks[from, to)} are set; wake their callers. */
    void finish(List<Task<?>> tasks, int from, int to) {
        if (to <= from) {
            return;
        }
        finished.add(tasks.subList(from, to).toArray(new Task<?>[0]));
        if (!signalled.getAndSet(true)) {
            try {
                pipe.sink().write(ByteBuffer.wrap(WAKE_UP));
            } catch (IOException e) {
                // Only after close(), which waits for every worker first: answer here, late rather than never.
                drain();
            }
        }
    }

    private void run() {
        ByteBuffer bytes = ByteBuffer.allocate(64);
        try {
            while (true) {
                bytes.clear();
                if (pipe.source().read(bytes) < 0) {
                    break;
                }
                signalled.set(false); // before draining: a batch queued after this point signals again
                drain();
            }
        } catch (IOException e) {
            // The pipe broke: the workers' writes fail too, and they answer themselves.
        }
        drain();
    }

    private void drain() {
        for (Task<?>[] batch; (batch = finished.poll()) != null; ) {
            for (Task<?> task : batch) {
                task.finish();
            }
        }
    }

    /** After every worker has stopped: answers what is left, ends the thread and closes the pipe. */
    @Override
    public void close() {
        try {
            pipe.sink().close();
        } catch (IOException e) {
            // Closing anyway; the reader sees the end or an error and drains either way.
        }
        StorageThread.uninterruptibly(thread::join);
        try {
            pipe.source().close();
        } catch (IOException e) {
            // Nothing left to read.
        }
        drain();
    }
}
