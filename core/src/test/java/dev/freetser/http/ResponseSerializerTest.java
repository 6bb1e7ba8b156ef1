package dev.freetser.http;

import static dev.freetser.http.Exchange.data;
import static dev.freetser.http.Exchange.feed;
import static dev.freetser.http.Exchange.fields;
import static dev.freetser.http.Exchange.respond;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Responses as exact bytes: framing, Connection fields, HEAD, 1xx/204/304, error responses. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ResponseSerializerTest {

    /** A connection that has read {@code request} whole. */
    private static Connection after(String request) {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, request);
        assertEquals(Signal.PAUSED, Exchange.drain(c, new ArrayList<>()));
        return c;
    }

    private static final String GET = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    private static final String GET_10 = "GET / HTTP/1.0\r\n\r\n";

    @Test
    void contentLengthResponse() {
        Connection c = after(GET);
        String bytes = respond(c, new ResponseHead(200, fields("Content-Type", "text/plain", "Content-Length", "5",
                "Date", "Tue, 01 Jul 2025 10:00:00 GMT")), data("he"), data("llo"));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
                + "Date: Tue, 01 Jul 2025 10:00:00 GMT\r\n\r\nhello", bytes);
        assertEquals(State.DONE, c.ourState());
    }

    @Test
    void chunkedWhenNoLengthTo11Peer() {
        Connection c = after(GET);
        String bytes = respond(c, new ResponseHead(200, fields("Content-Type", "text/plain")),
                data("hello"), data(""), data("0123456789abcdefX"), EndOfMessage.EMPTY);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n11\r\n0123456789abcdefX\r\n0\r\n\r\n", bytes);
        assertEquals(State.DONE, c.ourState());
    }

    @Test
    void chunkedWithTrailers() {
        Connection c = after(GET);
        String bytes = respond(c, new ResponseHead(200, List.of()), data("x"),
                new EndOfMessage(fields("Checksum", "1")));
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nChecksum: 1\r\n\r\n", bytes);
    }

    @Test
    void closeDelimitedTo10Peer() {
        Connection c = after(GET_10);
        String bytes = respond(c, new ResponseHead(200, List.of()), data("abc"));
        assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc", bytes);
        assertEquals(State.MUST_CLOSE, c.ourState());
    }

    @Test
    void keptHttp10ConnectionSaysKeepAlive() {
        Connection c = after("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        String bytes = respond(c, new ResponseHead(200, fields("Content-Length", "2")), data("ok"));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok", bytes);
        assertEquals(State.DONE, c.ourState());
    }

    @Test
    void http10WithoutKeepAliveCloses() {
        Connection c = after(GET_10);
        String bytes = respond(c, new ResponseHead(200, fields("Content-Length", "2")), data("ok"));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", bytes);
        assertEquals(State.MUST_CLOSE, c.ourState());
    }

    @Test
    void clientCloseIsAnswered() {
        Connection c = after("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        String bytes = respond(c, new ResponseHead(204, List.of()));
        assertEquals("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", bytes);
        assertEquals(State.MUST_CLOSE, c.ourState());
        assertEquals(State.MUST_CLOSE, c.theirState());
    }

    @Test
    void serverCloseReplacesCallersConnectionField() {
        Connection c = after(GET);
        String bytes = respond(c, new ResponseHead(200, fields("connection", "Close", "Content-Length", "0")));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", bytes);
        assertEquals(State.MUST_CLOSE, c.ourState());
    }

    @Test
    void headResponseHasNoBody() {
        Connection c = after("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
        String bytes = respond(c, new ResponseHead(200, fields("Content-Length", "5")), data("hello"));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", bytes);
        assertEquals(State.DONE, c.ourState());
    }

    @Test
    void headResponseWithoutLengthIsNotChunked() {
        Connection c = after("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals("HTTP/1.1 200 OK\r\n\r\n", respond(c, new ResponseHead(200, List.of()), data("x")));
        assertEquals(State.DONE, c.ourState());
    }

    @Test
    void noContentDropsFramingFieldsAndBody() {
        Connection c = after(GET);
        String bytes = respond(c, new ResponseHead(204, fields("Content-Length", "3", "X-A", "b")), data("abc"));
        assertEquals("HTTP/1.1 204 No Content\r\nX-A: b\r\n\r\n", bytes);
        assertEquals(State.DONE, c.ourState());
        Connection d = after(GET);
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n",
                respond(d, new ResponseHead(204, fields("Transfer-Encoding", "chunked")), data("abc")));
        Connection e = after(GET);
        assertEquals("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n",
                informational(e, new InformationalResponse(103, fields("Link", "</a>", "Content-Length", "0"))));
    }

    private static String informational(Connection c, InformationalResponse r) {
        Output out = new Output(64);
        c.send(r, out);
        return Exchange.text(out);
    }

    @Test
    void notModifiedKeepsLengthButSendsNoBody() {
        Connection c = after(GET);
        String bytes = respond(c, new ResponseHead(304, fields("ETag", "\"v1\"", "Content-Length", "3")), data("abc"));
        assertEquals("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 3\r\n\r\n", bytes);
    }

    @Test
    void unknownStatusHasEmptyReason() {
        Connection c = after(GET);
        assertEquals("HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n",
                respond(c, new ResponseHead(299, fields("Content-Length", "0"))));
    }

    @Test
    void continueThenFinalResponse() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        assertInstanceOf(RequestHead.class, c.nextEvent());
        assertEquals(Signal.NEED_DATA, c.nextEvent());
        Output out = new Output(64);
        c.send(new InformationalResponse(100, fields("Content-Length", "9")), out);
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", Exchange.text(out));
        feed(c, "hi");
        assertEquals(data("hi"), c.nextEvent());
        assertEquals(EndOfMessage.EMPTY, c.nextEvent());
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                respond(c, new ResponseHead(200, fields("Content-Length", "0"))));
        assertEquals(State.DONE, c.ourState());
    }

    @Test
    void errorResponseAfterBadRequestLine() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "GET / HTTP/9.9\r\nHost: h\r\n\r\n");
        RemoteProtocolException e = assertThrows(RemoteProtocolException.class, c::nextEvent);
        assertEquals(505, e.status());
        assertEquals(State.ERROR, c.theirState());
        String bytes = respond(c, new ResponseHead(505, fields("Content-Type", "text/plain")),
                data("HTTP version not supported"));
        assertEquals("HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                + "HTTP version not supported", bytes);
        assertEquals(State.MUST_CLOSE, c.ourState());
        assertThrows(RemoteProtocolException.class, c::nextEvent, "the error stays");
    }

    @Test
    void errorResponseInBodyWithLength() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        assertInstanceOf(RequestHead.class, c.nextEvent());
        assertEquals(400, assertThrows(RemoteProtocolException.class, c::nextEvent).status());
        String bytes = respond(c, new ResponseHead(400, fields("Content-Length", "11")), data("Bad Request"));
        assertEquals("HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request", bytes);
        assertEquals(State.MUST_CLOSE, c.ourState());
    }

    @Test
    void responseBeforeBodyWasReadCloses() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n");
        assertInstanceOf(RequestHead.class, c.nextEvent());
        String bytes = respond(c, new ResponseHead(413, fields("Content-Length", "0")));
        assertEquals("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", bytes);
        assertEquals(State.MUST_CLOSE, c.ourState());
    }

    @Test
    void mismatchedContentLengthIsOurError() {
        Connection c = after(GET);
        Output out = new Output(64);
        c.send(new ResponseHead(200, fields("Content-Length", "3")), out);
        assertThrows(LocalProtocolException.class, () -> c.send(data("abcd"), out));
        assertEquals(State.ERROR, c.ourState());

        Connection d = after(GET);
        d.send(new ResponseHead(200, fields("Content-Length", "3")), out);
        d.send(data("ab"), out);
        LocalProtocolException e = assertThrows(LocalProtocolException.class, () -> d.send(EndOfMessage.EMPTY, out));
        assertEquals("response body has 2 bytes but its Content-Length is 3", e.getMessage());
    }

    @Test
    void responseSplittingIsRefused() {
        for (List<Field> bad : List.of(fields("X", "a\r\nSet-Cookie: x=1"), fields("X", "a\nb"), fields("X", "a\u0000"),
                fields("Bad Name", "v"), fields("", "v"), fields("Content-Length", "-1"), fields("Content-Length", "1, 2"),
                fields("Transfer-Encoding", "gzip"), fields("Transfer-Encoding", "chunked", "Content-Length", "1"))) {
            Connection c = after(GET);
            Output out = new Output(64);
            assertThrows(LocalProtocolException.class, () -> c.send(new ResponseHead(200, bad), out), bad.toString());
            assertEquals(0, out.length(), "nothing written for " + bad);
            assertEquals(State.ERROR, c.ourState());
        }
    }

    @Test
    void checkedHeadIsWrittenAlikeAndItsFramingStillChecked() {
        List<Field> ok = fields("Content-Type", "text/plain", "Content-Length", "5");
        assertEquals(respond(after(GET), new ResponseHead(200, ok), data("hello")),
                respond(after(GET), new ResponseHead(200, ok, true), data("hello")));
        for (List<Field> bad : List.of(fields("Content-Length", "-1"), fields("Content-Length", "1, 2"),
                fields("Transfer-Encoding", "gzip"), fields("Transfer-Encoding", "chunked", "Content-Length", "1"))) {
            Connection c = after(GET);
            Output out = new Output(64);
            assertThrows(LocalProtocolException.class, () -> c.send(new ResponseHead(200, bad, true), out), bad.toString());
            assertEquals(0, out.length(), "nothing written for " + bad);
        }
    }

    @Test
    void informationalRules() {
        Connection c = after(GET);
        Output out = new Output(64);
        assertThrows(LocalProtocolException.class, () -> c.send(new InformationalResponse(101, List.of()), out));
        Connection d = after(GET);
        d.send(new ResponseHead(200, fields("Content-Length", "0")), out);
        assertThrows(LocalProtocolException.class, () -> d.send(new InformationalResponse(100, List.of()), out),
                "100 only before the final response");
        Connection e = after(GET_10);
        assertThrows(LocalProtocolException.class, () -> e.send(new InformationalResponse(100, List.of()), out),
                "no 1xx to an HTTP/1.0 client");
        Connection f = after(GET);
        assertThrows(LocalProtocolException.class, () -> f.send(new ResponseHead(100, List.of()), out));
    }
}
