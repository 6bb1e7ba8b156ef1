package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.demo.DemoFixture.Reply;
import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.StorageQueue;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dispatch, /plaintext and the original's page: everything that is not a stress-test, /items or /kv route. */
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
        assertEquals(hello(thread, "PUT", "/any/where?x=1", 5), reply.text());
    }

    /** The original's app answers / with its page too, so a client written against it works here. */
    @ParameterizedTest(name = "{0} /")
    @CsvSource({"GET", "POST", "DELETE"})
    void theRootServesTheOriginalsPage(String method) throws Exception {
        String response = demo.raw(method + " / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        String page = "Hello from freetser!\nThread: freetser-conn-\\d+\nMethod: " + method
                + "\nPath: /\nBody length: 0 bytes\n";
        assertResponse(response, "text/plain; charset=utf-8", page);
    }

    @Test
    void pathShowsTheTargetAsSentQueryIncluded() throws Exception {
        String response = demo.raw("GET /foo?x=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertResponse(response, "text/plain; charset=utf-8",
                "Hello from freetser!\nThread: freetser-conn-\\d+\nMethod: GET\nPath: /foo\\?x=1\nBody length: 0 bytes\n");
    }

    @Test
    void bodyLengthCountsThePostedBytes() throws Exception {
        String response = demo.raw("POST /submit HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n"
                + "Connection: close\r\n\r\nhello world");
        assertResponse(response, "text/plain; charset=utf-8",
                "Hello from freetser!\nThread: freetser-conn-\\d+\nMethod: POST\nPath: /submit\nBody length: 11 bytes\n");
    }

    /** What the peer servers of the benchmarks answer at /plaintext. */
    @Test
    void plaintextIsHelloWorldForBenchmarks() throws Exception {
        String response = demo.raw("GET /plaintext HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertResponse(response, "text/plain; charset=utf-8", "Hello, World!");
        String head = demo.raw("HEAD /plaintext HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(head.contains("\r\nContent-Length: 13\r\n"), head);
        assertTrue(head.endsWith("\r\n\r\n"), head);
    }

    @Test
    void plaintextWithAnotherMethodGetsTheOriginalsPage() throws Exception {
        Reply reply = demo.send("POST", "/plaintext", "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, reply.status());
        assertEquals(hello(threadName(reply), "POST", "/plaintext", 1), reply.text());
    }

    /** The server's error body starts with the original's text for 413, for a declared and a chunked body. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "Content-Length: 2097153",
        "Transfer-Encoding: chunked",
    })
    void bodyOverTheLimitGets413PayloadTooLarge(String framing) throws Exception {
        String body = framing.startsWith("Transfer") ? "200001\r\n" : "";
        String response = demo.raw("POST /upload HTTP/1.1\r\nHost: t\r\n" + framing + "\r\n\r\n" + body);
        assertTrue(response.startsWith("HTTP/1.1 413 Content Too Large\r\n"), response);
        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
        assertEquals("413 Payload Too Large: request body exceeds 2097152 bytes\n",
                response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    /**
     * A whole 200 response: status line, the Content-Type and Content-Length given (in any order
     * among the other fields), and a body matching {@code bodyPattern} exactly.
     */
    private static void assertResponse(String response, String contentType, String bodyPattern) {
        int split = response.indexOf("\r\n\r\n");
        assertTrue(split > 0, response);
        String head = response.substring(0, split + 2);
        String body = response.substring(split + 4);
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(head.contains("\r\nContent-Type: " + contentType + "\r\n"), response);
        assertTrue(head.contains("\r\nContent-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n"), response);
        assertTrue(body.matches(bodyPattern), body);
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
        // The page's length: 86 bytes for "HEAD", "/" and "freetser-conn-", then the thread's number.
        Matcher length = Pattern.compile("\r\nContent-Length: (\\d+)\r\n").matcher(response);
        assertTrue(length.find(), response);
        int digits = Integer.parseInt(length.group(1)) - 86;
        assertTrue(digits >= 1 && digits <= 19, response);
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
            assertEquals("storage is busy\n", busy.text());
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
