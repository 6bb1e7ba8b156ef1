package dev.freetser.demo;

import static dev.freetser.Polling.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo's storage options delete expired entries from the tables, not only hide them. */
@Timeout(30)
class DemoPurgeTest {
    @TempDir
    Path dir;

    @Test
    void expiredEntriesAreDeletedWhileLiveOnesStay() throws Exception {
        // The purge runs on the system clock: entries that expired in 1970 are expired for it.
        DemoOptions options = DemoOptions.parse("--purge-interval", "1");
        try (DemoFixture demo = new DemoFixture(dir.resolve("demo.db").toString(), options.storageOptions())) {
            long future = System.currentTimeMillis() / 1000 + 3_600;
            demo.store.execute(s -> {
                for (int i = 0; i < 300; i++) {
                    s.add("items", "old" + i, "v".getBytes(StandardCharsets.UTF_8), 1);
                }
                s.add("items", "live", "v".getBytes(StandardCharsets.UTF_8), future);
                s.add("kv", "old", "v".getBytes(StandardCharsets.UTF_8), 1);
                s.add("kv", "forever", "v".getBytes(StandardCharsets.UTF_8), 0);
                return null;
            });
            until(() -> demo.store.stats().purged() >= 301, "301 expired entries purged");
            assertEquals(List.of("live"), demo.store.read(s -> s.listKeys("items")));
            assertEquals(List.of("forever"), demo.store.read(s -> s.listKeys("kv")));
            assertEquals(301, demo.store.stats().purged());
        }
    }
}
