package dev.freetser.bench;

import dev.freetser.storage.Durability;
import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.StorageQueue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Storage throughput on a temporary database file, one run per durability mode:
 * <ol type="a">
 * <li>one JDBC connection, one get-or-create transaction per operation (BEGIN IMMEDIATE; SELECT;
 *     INSERT if missing; COMMIT), no queue: the cost the storage thread starts from;</li>
 * <li>the same operation as a routine through {@code execute} from 64 virtual threads, group commit on;</li>
 * <li>the same with group commit off;</li>
 * <li>{@code read} of a random key from 64 virtual threads;</li>
 * <li>the same reads through {@code execute};</li>
 * </ol>
 * and d', e': the reads of d and e while 64 more virtual threads keep writing through {@code execute}.
 * Each figure is ops/s after a warm-up; each of a, b, c starts from an empty file. Run with
 * {@code ./mvnw -q test-compile exec:exec@storage-bench}. A plain timed main, not JMH: the numbers
 * are throughput of threads and disk, and the machine's noise is larger than JMH would remove.
 */
public final class StorageBench {
    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final long MEASURE_NANOS = 4_000_000_000L;
    private static final int THREADS = 64;
    private static int keySpace = 1_000_000;
    private static final int PRELOADED_KEYS = 100_000;
    private static final String TABLE = "BENCH";
    private static final byte[] VALUE = "a value of about the size of a session record".getBytes(StandardCharsets.UTF_8);

    private StorageBench() {
    }

    /** Arguments: {@code --keys N} (default 1,000,000): how many distinct random keys a, b and c draw from. */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--keys")) {
            keySpace = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            throw new IllegalArgumentException("usage: StorageBench [--keys N]");
        }
        System.out.printf("StorageBench: %d threads, keys from %d, %d s per figure after %d s warm-up, %s%n",
                THREADS, keySpace, MEASURE_NANOS / 1_000_000_000L, WARMUP_NANOS / 1_000_000_000L, Runtime.version());
        for (Durability durability : Durability.values()) {
            run(durability);
        }
    }

    private static void run(Durability durability) throws Exception {
        StorageOptions options = StorageOptions.defaults().withDurability(durability);
        double a = inFreshFile(file -> rawJdbc(file, durability));
        double b = inFreshFile(file -> throughQueue(file, options));
        double c = inFreshFile(file -> throughQueue(file, options.withGroupCommit(false)));
        double[] reads = inFreshFile(file -> reads(file, options, false));
        double[] readsWhileWriting = inFreshFile(file -> reads(file, options, true));
        System.out.printf("%s durability:%n", durability);
        System.out.printf("  (a) raw JDBC get-or-create, 1 thread    %10.0f ops/s%n", a);
        System.out.printf("  (b) execute, group commit on, %d vthr   %10.0f ops/s   b/a = %.2f%n", THREADS, b, b / a);
        System.out.printf("  (c) execute, group commit off, %d vthr  %10.0f ops/s   c/a = %.2f%n", THREADS, c, c / a);
        System.out.printf("  (d) read, %d vthr                       %10.0f ops/s%n", THREADS, reads[0]);
        System.out.printf("  (e) execute as read, %d vthr            %10.0f ops/s   d/e = %.2f%n", THREADS, reads[1], reads[0] / reads[1]);
        System.out.printf("  (d') read, while %d vthr write          %10.0f ops/s%n", THREADS, readsWhileWriting[0]);
        System.out.printf("  (e') execute as read, while %d vthr write %8.0f ops/s   d'/e' = %.2f%n",
                THREADS, readsWhileWriting[1], readsWhileWriting[0] / readsWhileWriting[1]);
    }

    /** (a): what one connection does alone, with the store's PRAGMAs and statements. */
    private static double rawJdbc(Path file, Durability durability) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setOpenMode(SQLiteOpenMode.NOMUTEX); // as the store opens its connections
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties())) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA synchronous = " + durability.name());
                statement.execute("PRAGMA cache_size = -65536");
                statement.execute("PRAGMA busy_timeout = 500");
                statement.execute("CREATE TABLE " + TABLE + " (key TEXT PRIMARY KEY, counter INTEGER NOT NULL,"
                        + " expiration INTEGER NOT NULL, value BLOB NOT NULL) STRICT");
                // As the store does: auto-commit off stops the driver's BEGIN probe after every statement.
                connection.setAutoCommit(false);
                statement.execute("COMMIT");
            }
            PreparedStatement begin = connection.prepareStatement("BEGIN IMMEDIATE");
            PreparedStatement commit = connection.prepareStatement("COMMIT");
            PreparedStatement select = connection.prepareStatement("SELECT value, counter, expiration FROM " + TABLE + " WHERE key = ?");
            PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + TABLE + " (key, counter, expiration, value) VALUES (?, 0, 0, ?)");
            return measure(() -> {
                try {
                    String key = randomKey();
                    begin.execute();
                    select.setString(1, key);
                    boolean found;
                    try (ResultSet row = select.executeQuery()) {
                        found = row.next();
                    }
                    if (!found) {
                        insert.setString(1, key);
                        insert.setBytes(2, VALUE);
                        insert.executeUpdate();
                    }
                    commit.execute();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /** (b) and (c): the same get-or-create as a routine, from many virtual threads. */
    private static double throughQueue(Path file, StorageOptions options) throws InterruptedException {
        try (StorageQueue store = StorageQueue.open(file, List.of(TABLE), options)) {
            return inThreads(() -> store.execute(s -> {
                String key = randomKey();
                if (s.get(TABLE, key).isEmpty()) {
                    s.add(TABLE, key, VALUE, 0);
                }
                return null;
            }));
        }
    }

    /**
     * (d) and (e): gets of random keys from a preloaded table, through read and through execute;
     * (d') and (e') the same while as many other threads keep adding keys through execute.
     */
    private static double[] reads(Path file, StorageOptions options, boolean whileWriting) throws InterruptedException {
        try (StorageQueue store = StorageQueue.open(file, List.of(TABLE), options)) {
            store.execute(s -> {
                for (int i = 0; i < PRELOADED_KEYS; i++) {
                    s.add(TABLE, "key-" + i, VALUE, 0);
                }
                return null;
            });
            Runnable viaRead = () -> store.read(s -> s.get(TABLE, "key-" + ThreadLocalRandom.current().nextInt(PRELOADED_KEYS)));
            Runnable viaExecute = () -> store.execute(s -> s.get(TABLE, "key-" + ThreadLocalRandom.current().nextInt(PRELOADED_KEYS)));
            if (!whileWriting) {
                return new double[] {inThreads(viaRead), inThreads(viaExecute)};
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                writers.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        store.execute(s -> {
                            s.add(TABLE, "new-" + UUID.randomUUID(), VALUE, 0);
                            return null;
                        });
                    }
                }));
            }
            try {
                return new double[] {inThreads(viaRead), inThreads(viaExecute)};
            } finally {
                stop.set(true);
                for (Thread writer : writers) {
                    writer.join();
                }
            }
        }
    }

    private static double inThreads(Runnable operation) throws InterruptedException {
        LongAdder done = new LongAdder();
        long start = System.nanoTime();
        long measureFrom = start + WARMUP_NANOS;
        long end = measureFrom + MEASURE_NANOS;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    operation.run();
                    if (now >= measureFrom) {
                        done.increment();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return done.sum() / (MEASURE_NANOS / 1e9);
    }

    private static double measure(Runnable operation) {
        long measureFrom = System.nanoTime() + WARMUP_NANOS;
        long end = measureFrom + MEASURE_NANOS;
        long done = 0;
        for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
            operation.run();
            if (now >= measureFrom) {
                done++;
            }
        }
        return done / (MEASURE_NANOS / 1e9);
    }

    private static String randomKey() {
        return "key-" + ThreadLocalRandom.current().nextInt(keySpace);
    }

    private interface Phase<R> {
        R run(Path file) throws Exception;
    }

    private static <R> R inFreshFile(Phase<R> phase) throws Exception {
        Path dir = Files.createTempDirectory("freetser-bench");
        try {
            return phase.run(dir.resolve("bench.db"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }
    }
}
