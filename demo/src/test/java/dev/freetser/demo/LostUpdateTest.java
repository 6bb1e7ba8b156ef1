package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.freetser.demo.DemoFixture.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50 clients increment one counter at once through GET and PUT with If-Match, retrying on 412:
 * with the tag checked in the same transaction as the write, no increment is lost.
 */
class LostUpdateTest {
    private static final int CLIENTS = 50;
    private static final int MAX_ATTEMPTS = 1000;

    @Test
    @Timeout(120)
    void concurrentConditionalIncrementsAllCount(@TempDir Path dir) throws Exception {
        try (DemoFixture demo = new DemoFixture(dir)) {
            assertEquals(201, demo.put("/kv/kv/counter", "0").status());
            List<Future<Integer>> clients = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(pool.submit(() -> increment(demo)));
                }
            }
            int conflicts = 0;
            for (Future<Integer> client : clients) {
                conflicts += client.get();
            }
            Reply last = demo.get("/kv/kv/counter");
            assertEquals(Integer.toString(CLIENTS), last.text());
            assertEquals(CLIENTS, demo.store.execute(s -> s.get("kv", "counter")).orElseThrow().counter());
            assertTrue(last.header("ETag").startsWith("\"" + CLIENTS + "-"), last.header("ETag"));
            System.out.println("LostUpdateTest: " + CLIENTS + " increments, " + conflicts + " answered 412 and were retried");
        }
    }

    /** One successful increment; returns how many attempts were refused with 412. */
    private static int increment(DemoFixture demo) throws Exception {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Reply read = demo.get("/kv/kv/counter");
            assertEquals(200, read.status());
            int next = Integer.parseInt(read.text()) + 1;
            Reply write = demo.put("/kv/kv/counter", Integer.toString(next), "If-Match", read.header("ETag"));
            if (write.status() == 200) {
                return attempt;
            }
            assertEquals(412, write.status());
        }
        return fail("no successful increment in " + MAX_ATTEMPTS + " attempts");
    }
}
