package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Server;
import dev.freetser.ServerConfig;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server over a real TCP socket, driven with raw bytes so the exact wire format is checked. */
@Timeout(20)
class RawSocketTest {
    private static Server server;

    @BeforeAll
    static void start() {
        server = TestApp.start(TestApp.config().withLimits(ServerConfig.Limits.defaults()
                .withMaxBodyBytes(1000).withMaxHeaderBytes(2048).withMaxTargetLength(512)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawClient client() throws Exception {
        return new RawClient(server.address());
    }

    @Test
    void responseBytesAreExact() throws Exception {
        try (RawClient c = client()) {
            String raw = c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").read().raw();
            assertTrue(raw.matches("HTTP/1\\.1 200 OK\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n"
                    + "Content-Length: 12\r\n\r\nHello world!"), raw);
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (RawClient c = client()) {
            for (int i = 0; i < 3; i++) {
                RawClient.Reply r = c.send("GET /echo?i=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals("GET /echo i=" + i + " HTTP/1.1\nbody 0: ", r.body());
                assertNull(r.header("Connection"));
            }
        }
    }

    @Test
    void pipelinedRequestsAnswerInOrder() throws Exception {
        try (RawClient c = client()) {
            c.send("GET /echo?n=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo?n=2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /echo?n=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("GET /echo n=1 HTTP/1.1\nbody 0: ", c.read().body());
            assertEquals("POST /echo n=2 HTTP/1.1\nbody 5: hello", c.read().body());
            RawClient.Reply last = c.read();
            assertEquals("GET /echo n=3 HTTP/1.1\nbody 0: ", last.body());
            assertEquals("close", last.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aPartOfTheNextRequestSentWithTheLastSurvivesTheWaitForTheRest() throws Exception {
        try (RawClient c = client()) {
            // The thread waits for the rest of the second head with its first part buffered.
            c.send("GET /echo?n=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo?n=2 HT");
            assertEquals("GET /echo n=1 HTTP/1.1\nbody 0: ", c.read().body());
            c.send("TP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("GET /echo n=2 HTTP/1.1\nbody 0: ", c.read().body());
            c.send("GET /echo?n=3 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("GET /echo n=3 HTTP/1.1\nbody 0: ", c.read().body());
        }
    }

    @Test
    void expect100ContinueGetsAnInterimResponseBeforeTheBody() throws Exception {
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Reply interim = c.readHead();
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", interim.raw());
            assertEquals("POST /echo  HTTP/1.1\nbody 4: data", c.send("data").read().body());
        }
    }

    @Test
    void absoluteFormAndAsteriskFormReachTheHandlerWithTheirPath() throws Exception {
        try (RawClient c = client()) {
            assertEquals("GET /echo a=1 HTTP/1.1\nbody 0: ",
                    c.send("GET http://example.com/echo?a=1 HTTP/1.1\r\nHost: example.com\r\n\r\n").read().body());
            assertEquals(404, c.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
    }

    @Test
    void chunkedRequestBodyIsAssembled() throws Exception {
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n");
            assertEquals("POST /echo  HTTP/1.1\nbody 7: abcdefg", c.read().body());
        }
    }

    @Test
    void http10ClosesAfterTheResponseByDefault() throws Exception {
        try (RawClient c = client()) {
            RawClient.Reply r = c.send("GET /echo HTTP/1.0\r\n\r\n").read();
            assertEquals(200, r.status());
            assertEquals("GET /echo  HTTP/1.0\nbody 0: ", r.body());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void http10KeepAliveIsHonouredWhenAsked() throws Exception {
        try (RawClient c = client()) {
            RawClient.Reply first = c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", first.header("Connection"));
            RawClient.Reply second = c.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("GET /echo  HTTP/1.0\nbody 0: ", second.body());
        }
    }

    @Test
    void headGetsHeadersWithoutBodyAndTheConnectionStaysUsable() throws Exception {
        try (RawClient c = client()) {
            RawClient.Reply head = c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            assertEquals("12", head.header("Content-Length"));
            assertEquals("Hello world!", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
        }
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("missing Host", "GET / HTTP/1.1\r\n\r\n", 400),
                Arguments.of("Content-Length with Transfer-Encoding",
                        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                Arguments.of("body over limit", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n", 413),
                Arguments.of("target over limit", "GET /" + "a".repeat(600) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                Arguments.of("header section over limit",
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(2100) + "\r\n\r\n", 431),
                Arguments.of("unknown transfer coding",
                        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
                Arguments.of("HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
                Arguments.of("CONNECT, which an origin server does not tunnel",
                        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501),
                Arguments.of("asterisk-form with GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0} gives {2}")
    @MethodSource("badRequests")
    void badRequestsGetTheirStatusAndTheConnectionCloses(String name, String request, int status) throws Exception {
        try (RawClient c = client()) {
            RawClient.Reply r = c.send(request).read();
            assertEquals(status, r.status(), r.raw());
            assertEquals("close", r.header("Connection"));
            assertTrue(r.body().startsWith(status + " "), r.body());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void throwingHandlerGets500AndClosesButTheServerGoesOn() throws Exception {
        try (RawClient c = client()) {
            RawClient.Reply r = c.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(500, r.status());
            assertEquals("Internal Server Error\n", r.body());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer());
        }
        try (RawClient c = client()) {
            assertEquals("Hello world!", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
        }
    }

    @Test
    void httpExceptionChoosesTheStatusAndKeepsTheConnection() throws Exception {
        try (RawClient c = client()) {
            RawClient.Reply r = c.send("GET /conflict HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(409, r.status());
            assertEquals("conflict\n", r.body());
            assertEquals("Hello world!", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
        }
    }

    @Test
    void streamedResponseIsChunkedForHttp11() throws Exception {
        try (RawClient c = client()) {
            RawClient.Reply r = c.send("GET /stream?n=40000 HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertNull(r.header("Content-Length"));
            assertEquals("x".repeat(40000), r.body());
            assertEquals("Hello world!", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
        }
    }

    @Test
    void streamedResponseIsCloseDelimitedForHttp10() throws Exception {
        try (RawClient c = client()) {
            RawClient.Reply r = c.send("GET /stream?n=20000 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertNull(r.header("Transfer-Encoding"));
            assertNull(r.header("Content-Length"));
            assertEquals("x".repeat(20000), r.body());
        }
    }

    @Test
    void handlersRunOnNamedVirtualThreads() throws Exception {
        try (RawClient c = client()) {
            String body = c.send("GET /thread HTTP/1.1\r\nHost: x\r\n\r\n").read().body();
            assertTrue(body.matches("freetser-conn-\\d+ true"), body);
        }
    }

    @Test
    void eachConnectionNamesItsThreadAfterItselfThoughThreadsServeOneAfterAnother() throws Exception {
        try (Server fresh = TestApp.start(TestApp.config())) {
            for (int n = 1; n <= 3; n++) {
                try (RawClient c = new RawClient(fresh.address())) {
                    assertEquals("freetser-conn-" + n + " true",
                            c.send("GET /thread HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
                }
            }
        }
    }
}
