package dev.freetser.storage;

import dev.freetser.internal.RateLimitedLog;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies the write-ahead log into the database file on a thread and connection of its own,
 * {@link StorageOptions#checkpointInterval} after the first commit since its last pass.
 *
 * <p>Why not on the storage thread: a checkpoint flushes the log and the file to disk, and while
 * the storage thread waits for the disk every routine waits with it, and the server's CPU idles.
 * A PASSIVE checkpoint on another connection copies what is committed while the
 * storage thread goes on writing; the storage thread's own checkpoint (SQLite's, once the log
 * holds {@link StorageOptions#checkpointPages} pages) then finds little left to copy, and only
 * it can rewind the log.
 */
final class Checkpointer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StorageQueue.class.getName());
    /** The least wait before trying again after a failed pass, so a full disk is not tried 20 times a second. */
    private static final long RETRY_NANOS = 1_000_000_000;

    private final Connection connection;
    private final long intervalNanos;
    private final Thread thread;
    /** A pass fails every second while the disk is full: once per cause per interval is enough. */
    private final RateLimitedLog faults = new RateLimitedLog(LOG, StorageLoop.FAULT_LOG_INTERVAL);
    /** Set by the storage thread at a commit, cleared here as a pass starts. */
    private volatile boolean dirty;
    private volatile boolean closed;
    private volatile long passes;

    private Checkpointer(Path file, long intervalNanos) {
        this.connection = SqliteSession.connect(file, false);
        this.intervalNanos = intervalNanos;
        this.thread = Thread.ofPlatform().name("freetser-checkpoint").daemon(true).unstarted(this::run);
    }

    /** Starts the thread for the database file the storage thread has set up. */
    static Checkpointer start(Path file, long intervalNanos) {
        Checkpointer checkpointer = new Checkpointer(file, intervalNanos);
        checkpointer.thread.start();
        return checkpointer;
    }

    /** Storage thread, after each commit: a pass is due one interval from the first such call. */
    void committed() {
        if (!dirty) {
            dirty = true;
            LockSupport.unpark(thread);
        }
    }

    /** Passes that completed. */
    long checkpoints() {
        return passes;
    }

    private void run() {
        boolean failed = false;
        while (true) {
            while (!dirty && !closed) {
                LockSupport.park(this);
            }
            long due = System.nanoTime() + (failed ? Math.max(intervalNanos, RETRY_NANOS) : intervalNanos);
            for (long left; !closed && (left = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(this, left);
            }
            if (closed) {
                return;
            }
            dirty = false; // before the pass: a commit during it asks for the next one
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
                passes++;
                failed = false;
            } catch (SQLException e) {
                StorageException failure = SqliteStorage.failure("checkpoint", e);
                faults.log(Level.WARNING, StorageLoop.cause(failure), failure.getMessage() + "; will retry in a second", null);
                failed = true;
                dirty = true;
            }
        }
    }

    /** Ends the thread, after any pass in progress, and closes its connection. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        StorageThread.uninterruptibly(thread::join);
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "closing the checkpoint connection failed: {0}", e.getMessage());
        }
    }
}
