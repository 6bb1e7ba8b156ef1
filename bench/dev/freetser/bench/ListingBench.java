package dev.freetser.bench;

import dev.freetser.storage.Storage;
import dev.freetser.storage.StorageQueue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A page of 100 keys through {@code read} on a table of {@code rows} keys {@code key-0000000},
 * {@code key-0000001}, ..., in microseconds per call; a page should cost the same at 1,000 rows as
 * at 1,000,000:
 * <ul>
 * <li>{@code pageAfter}: {@code listKeys(table, "", after, 100, now)} after a random key, as a
 *     client paging through the table asks;</li>
 * <li>{@code pageOfPrefix}: the 100 keys of a random 9-character prefix ({@code key-00042}), where
 *     SQLite stops at the prefix's end;</li>
 * <li>{@code pageAfterExpired}: as {@code pageAfter} on a table of twice the rows in which every
 *     other entry has expired (not yet purged): the page skips 100 of them;</li>
 * <li>{@code everyKeyThenFilter}: what the demo's listing did before, all keys loaded, then
 *     {@code get} with {@code now} until 100 live ones: cost grows with the table;</li>
 * <li>{@code countLive}: {@code count(table, now)} as {@code GET /items} asks, a scan of every row.</li>
 * </ul>
 * Run with {@code ./mvnw -q test-compile exec:exec@jmh -Djmh.args="ListingBench"}; filling
 * 1,000,000 rows takes a few seconds per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ListingBench {
    private static final String TABLE = "BENCH";
    /** Every other key of this table expired at NOW - 1. */
    private static final String HALF_EXPIRED = "HALF_EXPIRED";
    private static final long NOW = 1_700_000_000L;
    private static final int LIMIT = 100;
    private static final byte[] VALUE = "a value of about the size of a session record".getBytes(StandardCharsets.UTF_8);

    @Param({"1000", "1000000"})
    public int rows;

    private Path dir;
    private StorageQueue store;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("freetser-jmh");
        store = StorageQueue.open(dir.resolve("bench.db"), List.of(TABLE, HALF_EXPIRED));
        store.execute(s -> {
            for (int i = 0; i < rows; i++) {
                s.add(TABLE, key(i), VALUE, 0);
                s.add(HALF_EXPIRED, key(2 * i), VALUE, 0);
                s.add(HALF_EXPIRED, key(2 * i + 1), VALUE, NOW - 1);
            }
            return null;
        });
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

    private static String key(int i) {
        return "key-%07d".formatted(i);
    }

    /** A random key with at least a page of keys after it. */
    private String randomStart(int keys) {
        return key(ThreadLocalRandom.current().nextInt(Math.max(1, keys - 2 * LIMIT)));
    }

    @Benchmark
    public List<String> pageAfter() {
        String after = randomStart(rows);
        return store.read(s -> s.listKeys(TABLE, "", after, LIMIT, NOW));
    }

    @Benchmark
    public List<String> pageOfPrefix() {
        String prefix = key(ThreadLocalRandom.current().nextInt(rows / LIMIT) * LIMIT).substring(0, 9);
        return store.read(s -> s.listKeys(TABLE, prefix, null, LIMIT, NOW));
    }

    @Benchmark
    public List<String> pageAfterExpired() {
        String after = randomStart(2 * rows);
        return store.read(s -> s.listKeys(HALF_EXPIRED, "", after, LIMIT, NOW));
    }

    @Benchmark
    public List<String> everyKeyThenFilter() {
        return store.read(s -> {
            List<String> live = new ArrayList<>();
            for (String key : s.listKeys(TABLE)) {
                if (s.get(TABLE, key, NOW).isPresent()) {
                    live.add(key);
                    if (live.size() == LIMIT) {
                        break;
                    }
                }
            }
            return live;
        });
    }

    @Benchmark
    public long countLive() {
        return store.read((Storage s) -> s.count(TABLE, NOW));
    }
}
