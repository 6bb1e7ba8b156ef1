package dev.freetser.bench;

import dev.freetser.storage.Durability;
import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.StorageQueue;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
import org.sqlite.core.CoreResultSet;

/**
 * Storage throughput on a temporary database file, one run per durability mode:
 * <ol type="a">
 * <li>one JDBC connection, one get-or-create transaction per operation (BEGIN IMMEDIATE; SELECT;
 *     INSERT if missing; COMMIT), no queue: the cost the storage thread starts from; then the same
 *     with 64 operations per transaction, the most group commit could reach. Both run the SELECT
 *     as the store does, keeping the column names the driver would otherwise fetch at every
 *     execution; one more line shows (a) through plain {@code executeQuery}, as most JDBC code
 *     is written;</li>
 * <li>the same operation as a routine through {@code execute} from 64 virtual threads, group commit on;</li>
 * <li>the same with group commit off;</li>
 * <li>{@code read} of a random key from 64 virtual threads;</li>
 * <li>the same reads through {@code execute};</li>
 * </ol>
 * and d', e': the reads of d and e while 64 more virtual threads keep writing through {@code execute}.
 * Each figure is ops/s after a warm-up; each of a, b, c starts from a fresh file holding the keys
 * it draws from (10,000 by default, as the peer harness's {@code raw} limit), so get-or-create
 * mostly finds; with {@code --empty} the file starts empty and most operations create. Run with
 * {@code ./mvnw -q test-compile exec:exec@storage-bench}. A plain timed main, not JMH: the numbers
 * are throughput of threads and disk, and the machine's noise is larger than JMH would remove.
 */
public final class StorageBench {
    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final long MEASURE_NANOS = 4_000_000_000L;
    private static final int THREADS = 64;
    private static int keySpace = 10_000;
    private static boolean prefill = true;
    private static List<Durability> durabilities = List.of(Durability.values());
    private static final int PRELOADED_KEYS = 100_000;
    private static final String TABLE = "BENCH";
    private static final byte[] VALUE = "a value of about the size of a session record".getBytes(StandardCharsets.UTF_8);

    private StorageBench() {
    }

    /**
     * Arguments: {@code --keys N} (default 10,000): how many distinct random keys a, b and c draw
     * from; {@code --empty}: start a, b and c from an empty table instead of one holding them all;
     * {@code --durability NORMAL} or {@code FULL}: run one mode only.
     */
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keys" -> keySpace = Integer.parseInt(args[++i]);
                case "--empty" -> prefill = false;
                case "--durability" -> durabilities = List.of(Durability.valueOf(args[++i]));
                default -> throw new IllegalArgumentException("usage: StorageBench [--keys N] [--empty] [--durability NORMAL|FULL]");
            }
        }
        System.out.printf("StorageBench: %d threads, keys from %d %s, %d s per figure after %d s warm-up, %s%n",
                THREADS, keySpace, prefill ? "(all present at start)" : "(none present at start)",
                MEASURE_NANOS / 1_000_000_000L, WARMUP_NANOS / 1_000_000_000L, Runtime.version());
        for (Durability durability : durabilities) {
            run(durability);
        }
    }

    private static void run(Durability durability) throws Exception {
        StorageOptions options = StorageOptions.defaults().withDurability(durability);
        double a = inFreshFile(file -> rawJdbc(file, durability, 1, namesKept()));
        double plain = inFreshFile(file -> rawJdbc(file, durability, 1, PreparedStatement::executeQuery));
        double a64 = inFreshFile(file -> rawJdbc(file, durability, THREADS, namesKept()));
        Rate b = inFreshFile(file -> throughQueue(file, options));
        Rate c = inFreshFile(file -> throughQueue(file, options.withGroupCommit(false)));
        double[] reads = inFreshFile(file -> reads(file, options, false));
        double[] readsWhileWriting = inFreshFile(file -> reads(file, options, true));
        System.out.printf("%s durability:%n", durability);
        System.out.printf("  (a) raw JDBC get-or-create, 1 thread    %10.0f ops/s%n", a);
        System.out.printf("      the same with plain executeQuery      %10.0f ops/s   %.2f x a%n", plain, plain / a);
        System.out.printf("      the same, %d per transaction         %10.0f ops/s   ceiling for b: %.2f x a%n", THREADS, a64, a64 / a);
        System.out.printf("  (b) execute, group commit on, %d vthr   %10.0f ops/s   b/a = %.2f   storage thread busy %.0f%%%n",
                THREADS, b.opsPerSecond, b.opsPerSecond / a, b.storageBusy * 100);
        System.out.printf("  (c) execute, group commit off, %d vthr  %10.0f ops/s   c/a = %.2f   storage thread busy %.0f%%%n",
                THREADS, c.opsPerSecond, c.opsPerSecond / a, c.storageBusy * 100);
        System.out.printf("  (d) read, %d vthr                       %10.0f ops/s%n", THREADS, reads[0]);
        System.out.printf("  (e) execute as read, %d vthr            %10.0f ops/s   d/e = %.2f%n", THREADS, reads[1], reads[0] / reads[1]);
        System.out.printf("  (d') read, while %d vthr write          %10.0f ops/s%n", THREADS, readsWhileWriting[0]);
        System.out.printf("  (e') execute as read, while %d vthr write %8.0f ops/s   d'/e' = %.2f%n",
                THREADS, readsWhileWriting[1], readsWhileWriting[0] / readsWhileWriting[1]);
    }

    /** How (a) runs its SELECT. */
    private interface Query {
        ResultSet execute(PreparedStatement select) throws SQLException;
    }

    /** The store's way (CachedStatement.executeQuery): the column names read at the first execution only. */
    private static Query namesKept() {
        return new Query() {
            private CoreResultSet results;
            private String[] columns;

            @Override
            public ResultSet execute(PreparedStatement select) throws SQLException {
                select.execute();
                if (results != null) {
                    results.colsMeta = columns;
                }
                ResultSet rows = select.getResultSet();
                if (results == null) {
                    results = (CoreResultSet) rows;
                    columns = results.colsMeta;
                }
                return rows;
            }
        };
    }

    /** (a): what one connection does alone, with the store's PRAGMAs and statements. */
    private static double rawJdbc(Path file, Durability durability, int perTransaction, Query query) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setOpenMode(SQLiteOpenMode.NOMUTEX); // as the store opens its connections
        config.setGetGeneratedKeys(false);
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
            // The store's own INSERT, expiration bound: a baseline that binds other types than the
            // store trains the JIT on a profile the store's first add then breaks, and the
            // resulting deoptimization inside the driver's synchronized sqlbind inflates the store
            // connection's monitor, which slowed the first (b) of a run by up to a fifth.
            PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + TABLE + " (key, counter, expiration, value) VALUES (?3, 0, ?2, ?1)");
            if (prefill) {
                begin.execute();
                for (int i = 0; i < keySpace; i++) {
                    insertRow(insert, "key-" + i);
                }
                commit.execute();
            }
            return measure(perTransaction, () -> {
                try {
                    begin.execute();
                    for (int i = 0; i < perTransaction; i++) {
                        String key = randomKey();
                        select.setString(1, key);
                        boolean found;
                        try (ResultSet row = query.execute(select)) {
                            found = row.next();
                            if (found) { // read what the store's get reads
                                row.getBytes(1);
                                row.getLong(2);
                                row.getLong(3);
                            }
                        }
                        if (!found) {
                            insertRow(insert, key);
                        }
                    }
                    commit.execute();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /** Binds as SqliteStorage.add does: value, expiration, key. */
    private static void insertRow(PreparedStatement insert, String key) throws SQLException {
        insert.setBytes(1, VALUE);
        insert.setLong(2, 0);
        insert.setString(3, key);
        insert.executeUpdate();
    }

    /**
     * Operations per second, and the share of the time the storage thread was on a CPU (warm-up
     * included): near 100% means the storage thread sets the pace.
     */
    private record Rate(double opsPerSecond, double storageBusy) {
    }

    /** (b) and (c): the same get-or-create as a routine, from many virtual threads. */
    private static Rate throughQueue(Path file, StorageOptions options) throws InterruptedException {
        try (StorageQueue store = StorageQueue.open(file, List.of(TABLE), options)) {
            if (prefill) {
                addKeys(store, keySpace);
            }
            long storageThread = storageThreadId();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getThreadCpuTime(storageThread);
            long before = System.nanoTime();
            double rate = inThreads(() -> store.execute(s -> {
                String key = randomKey();
                if (s.get(TABLE, key).isEmpty()) {
                    s.add(TABLE, key, VALUE, 0);
                }
                return null;
            }));
            double busy = (double) (threads.getThreadCpuTime(storageThread) - cpuBefore) / (System.nanoTime() - before);
            return new Rate(rate, busy);
        }
    }

    private static long storageThreadId() {
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (info.getThreadName().equals("freetser-storage")) {
                return info.getThreadId();
            }
        }
        throw new IllegalStateException("no thread named freetser-storage");
    }

    /**
     * (d) and (e): gets of random keys from a preloaded table, through read and through execute;
     * (d') and (e') the same while as many other threads keep adding keys through execute.
     */
    private static double[] reads(Path file, StorageOptions options, boolean whileWriting) throws InterruptedException {
        try (StorageQueue store = StorageQueue.open(file, List.of(TABLE), options)) {
            addKeys(store, PRELOADED_KEYS);
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

    private static void addKeys(StorageQueue store, int count) {
        store.execute(s -> {
            for (int i = 0; i < count; i++) {
                s.add(TABLE, "key-" + i, VALUE, 0);
            }
            return null;
        });
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

    /** Runs {@code operation} (which does {@code opsPerRun} operations) alone; returns operations per second. */
    private static double measure(int opsPerRun, Runnable operation) {
        long measureFrom = System.nanoTime() + WARMUP_NANOS;
        long end = measureFrom + MEASURE_NANOS;
        long done = 0;
        for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
            operation.run();
            if (now >= measureFrom) {
                done += opsPerRun;
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
