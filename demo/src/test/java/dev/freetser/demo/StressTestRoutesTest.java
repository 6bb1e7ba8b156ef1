package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freetser.demo.DemoFixture.Reply;
import dev.freetser.storage.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The original's test routes over real HTTP, body bytes exactly as the Python original sends them. */
class StressTestRoutesTest extends DemoTestCase {
    private static final String TEXT = "text/plain; charset=utf-8";

    private static void assertReply(int status, String body, Reply reply) {
        assertEquals(status, reply.status());
        assertEquals(body, reply.text());
        assertEquals(TEXT, reply.header("Content-Type"));
    }

    private Entry stored(String key) {
        return demo.store.execute(s -> s.get(StressTestRoutes.TABLE, key)).orElseThrow();
    }

    @Test
    void getCreatesThenFinds() throws Exception {
        assertReply(200, "Created: 42\n", demo.get("/stress-test/42"));
        assertReply(200, "Found: 42, counter=0\n", demo.get("/stress-test/42"));
        assertArrayEquals("item-42".getBytes(StandardCharsets.UTF_8), stored("42").value());
    }

    @Test
    void postCreatesWithTheBodyThenUpdatesWithTheCounter() throws Exception {
        assertReply(200, "Created: a\n", demo.send("POST", "/stress-test/a", "hello world".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), stored("a").value());
        assertReply(200, "Updated: a\n", demo.send("POST", "/stress-test/a", "second".getBytes(StandardCharsets.UTF_8)));
        assertReply(200, "Updated: a\n", demo.send("POST", "/stress-test/a", new byte[0]));
        assertReply(200, "Found: a, counter=2\n", demo.get("/stress-test/a"));
        assertArrayEquals("item-a".getBytes(StandardCharsets.UTF_8), stored("a").value());
    }

    @Test
    void postWithEmptyBodyStoresTheDefaultValue() throws Exception {
        assertReply(200, "Created: 7\n", demo.send("POST", "/stress-test/7", new byte[0]));
        assertArrayEquals("item-7".getBytes(StandardCharsets.UTF_8), stored("7").value());
    }

    @Test
    void deleteAnswersDeletedThenNotFound() throws Exception {
        demo.get("/stress-test/x");
        assertReply(200, "Deleted: x\n", demo.delete("/stress-test/x"));
        assertReply(404, "Not found: x\n", demo.delete("/stress-test/x"));
        assertReply(200, "Created: x\n", demo.get("/stress-test/x"));
    }

    @Test
    void expiredItemsCountAsAbsent() throws Exception {
        assertEquals(201, demo.put("/kv/items/t?ttl=5", "v").status());
        demo.clock.addAndGet(6);
        assertReply(404, "Not found: t\n", demo.delete("/stress-test/t"));
        assertReply(200, "Created: t\n", demo.get("/stress-test/t"));
    }

    @Test
    void itemsCountsAndListsTheFirstTenKeys() throws Exception {
        assertReply(200, "Items: 0\n\n", demo.get("/items"));
        for (int i = 11; i >= 0; i--) {
            demo.get("/stress-test/k" + (char) ('a' + i));
        }
        assertReply(200, "Items: 12\nka, kb, kc, kd, ke, kf, kg, kh, ki, kj\n", demo.get("/items"));
    }

    @Test
    void itemsLeavesOutExpiredEntries() throws Exception {
        demo.get("/stress-test/b");
        demo.get("/stress-test/d");
        assertEquals(201, demo.put("/kv/items/a?ttl=5", "v").status());
        assertEquals(201, demo.put("/kv/items/c?ttl=10", "v").status());
        assertReply(200, "Items: 4\na, b, c, d\n", demo.get("/items"));
        demo.clock.addAndGet(5); // a expires at START + 5: still live at that second
        assertReply(200, "Items: 4\na, b, c, d\n", demo.get("/items"));
        demo.clock.addAndGet(1);
        assertReply(200, "Items: 3\nb, c, d\n", demo.get("/items"));
        demo.clock.addAndGet(5);
        assertReply(200, "Items: 2\nb, d\n", demo.get("/items"));
        assertEquals(4, demo.store.read(s -> s.listKeys(StressTestRoutes.TABLE)).size()); // not deleted, only left out
    }

    @Test
    void concurrentPostsAreSerializedAndEveryOneIsCounted() throws Exception {
        demo.get("/stress-test/hot");
        int clients = 40;
        List<Future<Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                replies.add(pool.submit(() -> demo.send("POST", "/stress-test/hot", "v".getBytes(StandardCharsets.UTF_8))));
            }
        }
        for (Future<Reply> reply : replies) {
            assertReply(200, "Updated: hot\n", reply.get());
        }
        assertEquals(clients, stored("hot").counter());
    }
}
