package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.demo.DemoFixture.Reply;
import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.StorageQueue;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dispatch and the fallback page: everything that is not a stress-test, /items or /kv route. */
class DemoRoutesTest extends DemoTestCase {
    private static String hello(String threadName, String method, String path, int bodyLength) {
        return "Hello from freetser!\nThread: " + threadName + "\nMethod: " + method + "\nPath: " + path
                + "\nBody length: " + bodyLength + " bytes\n";
    }

    private static String threadName(Reply reply) {
        String body = reply.text();
        int start = body.indexOf("Thread: ") + 8;
        return body.substring(start, body.indexOf('\n', start));
    }

    @Test
    void anyOtherRequestDescribesItself() throws Exception {
        Reply reply = demo.send("PUT", "/any/where?x=1", "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, reply.status());
        assertEquals("text/plain; charset=utf-8", reply.header("Content-Type"));
        String thread = threadName(reply);
        assertTrue(thread.matches("freetser-conn-\\d+"), thread);
        assertEquals(hello(thread, "PUT", "/any/where", 5), reply.text());
    }

    @ParameterizedTest(name = "{0} /")
    @CsvSource({"GET", "POST", "DELETE"})
    void theRootSaysHelloWorldAsTheOriginalDoes(String method) throws Exception {
        Reply reply = demo.send(method, "/", new byte[0]);
        assertEquals(200, reply.status());
        assertEquals("text/plain; charset=utf-8", reply.header("Content-Type"));
        assertEquals("Hello world!", reply.text());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET, /index.html",
        "GET, /stress-test/",
        "GET, /stress-test/a/b",
        "PUT, /stress-test/1",
        "POST, /items",
        "GET, /items/",
        "GET, /kvx",
    })
    void pathsOutsideTheRoutesGetTheHelloPage(String method, String path) throws Exception {
        Reply reply = demo.send(method, path, new byte[0]);
        assertEquals(200, reply.status());
        assertEquals(hello(threadName(reply), method, path, 0), reply.text());
        assertEquals("Items: 0\n\n", demo.get("/items").text());
    }

    @Test
    void headOfTheHelloPageSendsHeadersOnly() throws Exception {
        String response = demo.raw("HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"), response);
        assertTrue(response.contains("\r\nContent-Length: 12\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n"), response);
    }

    @Test
    void fullStorageQueueGives503WithRetryAfter() throws Exception {
        try (DemoFixture small = new DemoFixture(StorageQueue.MEMORY, StorageOptions.defaults().withQueueCapacity(1))) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread blocker = Thread.ofVirtual().start(() -> small.store.execute(s -> {
                running.countDown();
                awaitUninterruptibly(release);
                return null;
            }));
            running.await();
            Thread waiting = Thread.ofVirtual().start(() -> small.store.execute(s -> null));
            while (small.store.stats().queued() < 1) {
                Thread.onSpinWait();
            }
            Reply busy = small.get("/stress-test/1");
            assertEquals(503, busy.status());
            assertEquals("storage is busy, try again\n", busy.text());
            assertEquals("1", busy.header("Retry-After"));
            release.countDown();
            blocker.join();
            waiting.join();
            assertEquals("Created: 1\n", small.get("/stress-test/1").text());
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
