package dev.freetser.storage;

import dev.freetser.storage.spi.TableNames;
import dev.freetser.storage.spi.Engine;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link Store} of every engine: runs routines on one storage thread ({@code freetser-storage}),
 * each in a transaction, and read-only routines on a few read threads. Its {@code open} methods
 * open an embedded SQLite database; {@link Store#open} opens the others. Thread-safe: any number
 * of threads, virtual or not, and several servers may share one queue. All database work happens
 * on these platform threads; callers only wait.
 *
 * <pre>{@code
 * try (StorageQueue store = StorageQueue.open("app.db", List.of("USERS"))) {
 *     long counter = store.execute(s -> s.get("USERS", "ada").map(Entry::counter).orElse(-1L));
 * }
 * }</pre>
 */
public final class StorageQueue implements Store {
    /** The location that opens an in-memory database, private to this queue. */
    public static final String MEMORY = ":memory:";

    private static final System.Logger LOG = System.getLogger(StorageQueue.class.getName());

    private final String name;
    private final int capacity;
    private final BlockingQueue<Task<?>> writes;
    private final StorageLoop loop;
    private final StorageThread storageThread;
    private final ReadPool readPool;
    private final Answers answers;
    private final LongAdder rejected = new LongAdder();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile boolean closed;

    private StorageQueue(Engine engine, StorageOptions options) {
        this.name = engine.name();
        this.capacity = options.queueCapacity();
        this.writes = new ArrayBlockingQueue<>(capacity);
        this.answers = Answers.start();
        this.loop = new StorageLoop(writes, engine, options, answers);
        this.storageThread = new StorageThread(loop, "freetser-storage");
        storageThread.start();
        try {
            loop.ready().join();
        } catch (CompletionException e) {
            storageThread.joinUninterruptibly();
            answers.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        if (engine.readThreads() == 0) {
            this.readPool = null;
            return;
        }
        try {
            this.readPool = ReadPool.start(engine, capacity, answers);
        } catch (RuntimeException e) {
            Task.stop(writes);
            storageThread.joinUninterruptibly();
            answers.close();
            throw e;
        }
    }

    /** Starts the queue's threads on the engine: the storage thread opens its session, read threads theirs. */
    static StorageQueue start(Engine engine, StorageOptions options) {
        return started(new StorageQueue(engine, Objects.requireNonNull(options, "options")), options);
    }

    /** Opens the database file (creating it if missing) with default options; see {@link #open(Path, List, StorageOptions)}. */
    public static StorageQueue open(Path path, List<String> tables) {
        return open(path, tables, StorageOptions.defaults());
    }

    /**
     * Opens the database file, creating it and the tables if missing, and returns once the
     * storage thread has it open in WAL mode with its PRAGMAs set (synchronous per
     * {@link StorageOptions#durability()}, 64 MB cache, 500 ms busy timeout). Logs the absolute
     * path at INFO.
     *
     * @throws IllegalArgumentException if a table name is not an identifier
     *                                  ({@code [A-Za-z_][A-Za-z0-9_]*}), is reserved or repeated
     * @throws StorageException         if the folder does not exist, the folder or the file
     *                                  cannot be written ({@link StorageException.Fault#READ_ONLY};
     *                                  the message names which), or SQLite cannot open or set up
     *                                  the file
     */
    public static StorageQueue open(Path path, List<String> tables, StorageOptions options) {
        Path file = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
        List<String> checked = TableNames.check(tables);
        Path folder = file.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new StorageException("cannot open database " + file + ": folder " + folder + " does not exist");
        }
        // SQLite creates the write-ahead log and its index beside the database, and deletes them at close.
        if (!Files.isWritable(folder)) {
            throw new StorageException("cannot open database " + file + ": folder " + folder + " is read-only",
                    StorageException.Fault.READ_ONLY, 0, null);
        }
        return start(new SqliteEngine(file, checked, Objects.requireNonNull(options, "options")), options);
    }

    /** Opens {@code ":memory:"} or a database file, with default options. */
    public static StorageQueue open(String location, List<String> tables) {
        return open(location, tables, StorageOptions.defaults());
    }

    /**
     * Opens {@link #MEMORY} ({@code ":memory:"}, a database private to this queue that is gone
     * when it closes) or else the file at that path, as {@link #open(Path, List, StorageOptions)}.
     * For {@code :memory:}, {@link #read} runs on the storage thread.
     */
    public static StorageQueue open(String location, List<String> tables, StorageOptions options) {
        if (!MEMORY.equals(Objects.requireNonNull(location, "location"))) {
            return open(Path.of(location), tables, options);
        }
        List<String> checked = TableNames.check(tables);
        return start(new SqliteEngine(null, checked, Objects.requireNonNull(options, "options")), options);
    }

    private static StorageQueue started(StorageQueue queue, StorageOptions options) {
        LOG.log(Level.INFO, "storage open: {0} ({1} durability, group commit {2}, {3} read threads)",
                queue.name, options.durability(), options.groupCommit() ? "up to " + queue.loop.batchLimit() : "off",
                queue.readPool == null ? "no" : options.readThreads());
        return queue;
    }

    /**
     * Runs the routine on the storage thread in a transaction (SQLite: BEGIN IMMEDIATE;
     * PostgreSQL: SERIALIZABLE) and returns its result once the transaction has committed. If the
     * routine throws, its changes are rolled back and the same exception object is thrown here.
     * Blocks the calling thread (a virtual thread unmounts while it waits).
     *
     * @throws StorageBusyException  if {@link StorageOptions#queueCapacity()} routines are waiting
     * @throws StorageException      if the queue is closed, or the transaction failed (for example
     *                               the COMMIT, on a full disk): then nothing of the routine stayed.
     *                               Its {@link StorageException#fault()} tells a failure of the store
     *                               (full, read-only, I/O, busy, closed) from the routine's own
     * @throws IllegalStateException if called from inside a routine (it would wait for itself)
     */
    @Override
    public <T> T execute(Routine<T> routine) {
        return submit(writes, new Task<>(routine, false));
    }

    /**
     * Runs a read-only routine in its own read transaction (a snapshot of what has committed)
     * and returns its result. It runs on a read thread, in parallel with other reads and with the
     * storage thread's writes; on {@code :memory:} (or with no read threads) it queues for the
     * storage thread like {@link #execute}.
     *
     * @throws StorageReadOnlyException thrown by the routine's first attempt to change data
     * @throws StorageBusyException     if {@link StorageOptions#queueCapacity()} reads are waiting
     * @throws StorageException         if the queue is closed or the database fails
     * @throws IllegalStateException    if called from inside a routine
     */
    @Override
    public <T> T read(Routine<T> routine) {
        return submit(readPool == null ? writes : readPool.queue(), new Task<>(routine, true));
    }

    private <T> T submit(BlockingQueue<Task<?>> queue, Task<T> task) {
        if (StorageThread.current()) {
            throw new IllegalStateException("execute() and read() cannot be called from inside a routine:"
                    + " the routine would wait for itself; do the work in the same routine");
        }
        if (closed) {
            throw closedException();
        }
        if (!queue.offer(task)) {
            rejected.increment();
            throw new StorageBusyException("storage is busy: " + capacity + " routines are already waiting");
        }
        // close() may have stopped the worker after the check above: take the task back if no one has it.
        if (closed && queue.remove(task)) {
            throw closedException();
        }
        return task.await();
    }

    static StorageException closedException() {
        return new StorageException("the storage queue is closed", StorageException.Fault.CLOSED, 0, null);
    }

    @Override
    public StorageStats stats() {
        return new StorageStats(writes.size(), readPool == null ? 0 : readPool.queue().size(),
                loop.routines(), loop.batches(), loop.commits(), readPool == null ? 0 : readPool.reads(),
                rejected.sum(), loop.purged(), loop.checkpoints(), loop.retries());
    }

    /**
     * Refuses new routines, runs every routine already queued, then closes the database cleanly
     * (SQLite: a WAL checkpoint into the file) and returns. Idempotent; later calls wait for the first.
     *
     * @throws IllegalStateException if called from inside a routine
     */
    @Override
    public void close() {
        if (StorageThread.current()) {
            throw new IllegalStateException("close() cannot be called from inside a routine: it waits for the routine");
        }
        closed = true;
        if (stopping.compareAndSet(false, true)) {
            // Readers first: the final checkpoint can only empty the log once no snapshot uses it.
            if (readPool != null) {
                readPool.stop();
            }
            Task.stop(writes);
            storageThread.joinUninterruptibly();
            LOG.log(Level.DEBUG, "storage closed: {0} ({1} routines in {2} batches)", name, loop.routines(), loop.batches());
        }
        if (readPool != null) {
            readPool.join();
        }
        storageThread.joinUninterruptibly();
        answers.close();
    }

    @Override
    public String toString() {
        return "StorageQueue[" + name + "]";
    }
}
