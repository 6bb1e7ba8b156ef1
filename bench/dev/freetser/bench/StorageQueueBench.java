package dev.freetser.bench;

import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.StorageQueue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The storage queue on a temporary database file, in operations per second (cost per call is the
 * inverse):
 * <ul>
 * <li>{@code handOff}: {@code execute} of a routine that only returns a constant, so what is
 *     measured is the trip to the storage thread and back plus an empty BEGIN IMMEDIATE/COMMIT;
 *     from one platform thread and from 64 virtual threads;</li>
 * <li>{@code getOrCreate}: the demo's get-or-create on a random key out of a million (mostly
 *     inserts at first, more finds as the table fills) through {@code execute} from 64 virtual
 *     threads: group-commit throughput.</li>
 * </ul>
 * Each runs with group commit on and off ({@code groupCommit} parameter); for one caller the two
 * should agree, which shows the noise. The 64-thread benchmarks fork with
 * {@code -Djmh.executor=VIRTUAL}, so JMH's own worker threads are virtual, as a server's
 * connection threads are; {@code -f 0} would lose that, so they refuse to run then.
 * Run with {@code ./mvnw -q test-compile exec:exec@jmh -Djmh.args="StorageQueueBench"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StorageQueueBench {
    private static final String VIRTUAL = "-Djmh.executor=VIRTUAL";
    private static final String TABLE = "BENCH";
    private static final int KEY_SPACE = 1_000_000;
    private static final byte[] VALUE = "a value of about the size of a session record".getBytes(StandardCharsets.UTF_8);

    @Param({"true", "false"})
    public boolean groupCommit;

    private Path dir;
    private StorageQueue store;

    /** Runs on a JMH worker thread; refuses to run many callers on platform threads (as -f 0 would). */
    @Setup(Level.Trial)
    public void open(BenchmarkParams params) throws IOException {
        if (params.getThreads() > 1 && !Thread.currentThread().isVirtual()) {
            throw new IllegalStateException(params.getThreads() + " callers must be virtual threads: run this benchmark"
                    + " forked (its @Fork adds " + VIRTUAL + "), not with -f 0");
        }
        dir = Files.createTempDirectory("freetser-jmh");
        store = StorageQueue.open(dir.resolve("bench.db"), List.of(TABLE), StorageOptions.defaults().withGroupCommit(groupCommit));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public int handOff() {
        return store.execute(s -> 42);
    }

    @Benchmark
    @Threads(64)
    @Fork(value = 1, jvmArgsAppend = VIRTUAL)
    public int handOffFrom64VirtualThreads() {
        return store.execute(s -> 42);
    }

    @Benchmark
    @Threads(64)
    @Fork(value = 1, jvmArgsAppend = VIRTUAL)
    public boolean getOrCreateFrom64VirtualThreads() {
        String key = "key-" + ThreadLocalRandom.current().nextInt(KEY_SPACE);
        return store.execute(s -> {
            if (s.get(TABLE, key).isPresent()) {
                return false;
            }
            s.add(TABLE, key, VALUE, 0);
            return true;
        });
    }
}
