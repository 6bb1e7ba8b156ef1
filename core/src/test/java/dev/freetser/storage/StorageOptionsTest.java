package dev.freetser.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class StorageOptionsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        int readThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
        assertEquals(new StorageOptions(Durability.NORMAL, true, 1_024, 10_000, readThreads, Duration.ZERO,
                new SqliteOptions(10_000, Duration.ofMillis(50))),
                StorageOptions.defaults());
    }

    @Test
    void withMethodsChangeOneValueEach() {
        StorageOptions changed = StorageOptions.defaults()
                .withDurability(Durability.FULL)
                .withGroupCommit(false)
                .withMaxBatchSize(8)
                .withQueueCapacity(100)
                .withReadThreads(0)
                .withPurgeInterval(Duration.ofMinutes(1))
                .withSqlite(SqliteOptions.defaults().withCheckpointPages(500).withCheckpointInterval(Duration.ZERO));
        assertEquals(new StorageOptions(Durability.FULL, false, 8, 100, 0, Duration.ofMinutes(1),
                new SqliteOptions(500, Duration.ZERO)), changed);
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheValue() {
        StorageOptions d = StorageOptions.defaults();
        List<Executable> bad = List.of(
                () -> d.withMaxBatchSize(0), () -> d.withQueueCapacity(0), () -> d.withReadThreads(65),
                () -> d.withPurgeInterval(Duration.ofSeconds(-1)), () -> d.sqlite().withCheckpointPages(0),
                () -> d.sqlite().withCheckpointInterval(Duration.ofMillis(-5)));
        List<String> messages = bad.stream().map(b -> assertThrows(IllegalArgumentException.class, b).getMessage()).toList();
        assertEquals(List.of(
                "maxBatchSize must be between 1 and 100000, was 0",
                "queueCapacity must be between 1 and 1000000, was 0",
                "readThreads must be between 0 and 64, was 65",
                "purgeInterval must not be negative, was PT-1S",
                "checkpointPages must be between 1 and 10000000, was 0",
                "checkpointInterval must not be negative, was PT-0.005S"), messages);
        assertThrows(NullPointerException.class, () -> d.withDurability(null));
        assertThrows(NullPointerException.class, () -> d.sqlite().withCheckpointInterval(null));
    }
}
