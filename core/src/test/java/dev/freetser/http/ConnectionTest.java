package dev.freetser.http;

import static dev.freetser.http.Exchange.data;
import static dev.freetser.http.Exchange.drain;
import static dev.freetser.http.Exchange.feed;
import static dev.freetser.http.Exchange.fields;
import static dev.freetser.http.Exchange.respond;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The state machine seen through the public API: cycles, pipelining, EOF, 100-continue, misuse. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConnectionTest {
    private static final ResponseHead OK_EMPTY = new ResponseHead(200, fields("Content-Length", "0"));

    private static RequestHead request(Connection c) {
        return assertInstanceOf(RequestHead.class, c.nextEvent());
    }

    @Test
    void receiveDataAfterEofIsAnError() {
        Connection c = new Connection(Exchange.LIMITS);
        c.receiveEof();
        byte[] one = {'G'};
        LocalProtocolException e = assertThrows(LocalProtocolException.class, () -> c.receiveData(one, 0, 1));
        assertEquals("receiveData after receiveEof", e.getMessage());
    }

    @Test
    void keepAliveCycles() {
        Connection c = new Connection(Exchange.LIMITS);
        assertEquals(State.IDLE, c.ourState());
        assertEquals(State.IDLE, c.theirState());
        assertEquals(Signal.NEED_DATA, c.nextEvent());
        for (int i = 0; i < 3; i++) {
            feed(c, "GET /" + i + " HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals("/" + i, request(c).target());
            assertEquals(State.SEND_BODY, c.theirState());
            assertEquals(State.SEND_RESPONSE, c.ourState());
            assertEquals(EndOfMessage.EMPTY, c.nextEvent());
            assertEquals(State.DONE, c.theirState());
            assertEquals(Signal.PAUSED, c.nextEvent());
            Output out = new Output(64);
            c.send(OK_EMPTY, out);
            assertEquals(State.SEND_BODY, c.ourState());
            c.send(EndOfMessage.EMPTY, out);
            assertEquals(State.DONE, c.ourState());
            c.startNextCycle();
            assertEquals(State.IDLE, c.ourState());
            assertEquals(State.IDLE, c.theirState());
            assertEquals(Signal.NEED_DATA, c.nextEvent());
        }
    }

    @Test
    void pipelinedRequestsAnswerInOrder() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz"
                + "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
                + "GET /d HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        StringBuilder wire = new StringBuilder();
        List<List<Event>> seen = new ArrayList<>();
        while (true) {
            List<Event> events = new ArrayList<>();
            assertEquals(Signal.PAUSED, drain(c, events));
            assertEquals(Signal.PAUSED, c.nextEvent(), "still paused");
            seen.add(events);
            RequestHead head = (RequestHead) events.getFirst();
            wire.append(respond(c, new ResponseHead(200, fields("Content-Length", "2")), data(head.path().substring(1) + "!")));
            if (c.ourState() == State.MUST_CLOSE) {
                break;
            }
            c.startNextCycle();
        }
        assertEquals(4, seen.size());
        assertEquals(data("xyz"), seen.get(1).get(1));
        assertEquals(data("hi"), seen.get(2).get(1));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\na!"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nb!"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nc!"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nd!", wire.toString());
        assertFalse(c.hasBufferedData());
    }

    @Test
    void pausedRequestLeavesNextRequestBuffered() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
        request(c);
        assertEquals(EndOfMessage.EMPTY, c.nextEvent());
        assertEquals(Signal.PAUSED, c.nextEvent());
        assertTrue(c.hasBufferedData());
        respond(c, OK_EMPTY);
        assertEquals(Signal.PAUSED, c.nextEvent(), "paused until startNextCycle");
        c.startNextCycle();
        assertEquals("/2", request(c).target());
    }

    @Test
    void startNextCycleMisuseIsLocalError() {
        Connection c = new Connection(Exchange.LIMITS);
        assertThrows(LocalProtocolException.class, c::startNextCycle, "in IDLE");
        feed(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        request(c);
        assertThrows(LocalProtocolException.class, c::startNextCycle, "request body not read");
        c.nextEvent();
        LocalProtocolException e = assertThrows(LocalProtocolException.class, c::startNextCycle, "no response yet");
        assertEquals("startNextCycle needs both sides DONE, but client is DONE and server is SEND_RESPONSE", e.getMessage());
        assertEquals(500, e.status());

        Connection closing = new Connection(Exchange.LIMITS);
        feed(closing, "GET / HTTP/1.0\r\n\r\n");
        drain(closing, new ArrayList<>());
        respond(closing, OK_EMPTY);
        assertEquals(State.MUST_CLOSE, closing.ourState());
        assertThrows(LocalProtocolException.class, closing::startNextCycle, "connection must close");
    }

    @Test
    void eventsOutOfOrderAreLocalErrors() {
        Output out = new Output(64);
        Connection idle = new Connection(Exchange.LIMITS);
        assertThrows(LocalProtocolException.class, () -> idle.send(data("x"), out));
        assertEquals(State.ERROR, idle.ourState());

        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        drain(c, new ArrayList<>());
        assertThrows(LocalProtocolException.class, () -> c.send(EndOfMessage.EMPTY, out), "end before head");
        Connection d = new Connection(Exchange.LIMITS);
        feed(d, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        drain(d, new ArrayList<>());
        d.send(OK_EMPTY, out);
        assertThrows(LocalProtocolException.class, () -> d.send(OK_EMPTY, out), "two heads");
        assertThrows(LocalProtocolException.class, () -> d.send(EndOfMessage.EMPTY, out), "nothing after an error");
        Connection e = new Connection(Exchange.LIMITS);
        assertThrows(LocalProtocolException.class, () -> e.send(new RequestHead("GET", "/", 1, List.of()), out));
        assertThrows(LocalProtocolException.class, () -> new Connection(Exchange.LIMITS).send(ConnectionClosed.INSTANCE, out));
    }

    @Test
    void eofBetweenRequestsIsConnectionClosed() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "\r\n");
        c.receiveEof();
        assertSame(ConnectionClosed.INSTANCE, c.nextEvent());
        assertSame(ConnectionClosed.INSTANCE, c.nextEvent(), "and stays so");
        assertEquals(State.CLOSED, c.theirState());
        assertEquals(State.MUST_CLOSE, c.ourState());
        assertThrows(LocalProtocolException.class, () -> feed(c, "GET"), "no data after EOF");
    }

    @Test
    void eofAfterCompleteRequestStillGetsAResponse() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        c.receiveEof();
        assertEquals(Signal.PAUSED, drain(c, new ArrayList<>()));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", respond(c, OK_EMPTY));
        assertEquals(State.MUST_CLOSE, c.ourState());
    }

    @Test
    void eofAfterPipelinedRequestsAnswersAll() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
        c.receiveEof();
        drain(c, new ArrayList<>());
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", respond(c, OK_EMPTY));
        c.startNextCycle();
        assertEquals("/2", request(c).target());
        c.nextEvent();
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", respond(c, OK_EMPTY));
        assertEquals(State.MUST_CLOSE, c.ourState());
    }

    @Test
    void waitingFor100Continue() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        assertFalse(c.theyAreWaitingFor100Continue(), "before the head is parsed");
        request(c);
        assertTrue(c.theyAreWaitingFor100Continue());
        assertEquals(Signal.NEED_DATA, c.nextEvent());
        assertTrue(c.theyAreWaitingFor100Continue());
        feed(c, "ab");
        assertFalse(c.theyAreWaitingFor100Continue(), "body bytes arrived");
        assertEquals(data("ab"), c.nextEvent());
        assertFalse(c.theyAreWaitingFor100Continue());

        Connection answered = new Connection(Exchange.LIMITS);
        feed(answered, "PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
        request(answered);
        assertTrue(answered.theyAreWaitingFor100Continue());
        answered.send(new InformationalResponse(100, List.of()), new Output(64));
        assertFalse(answered.theyAreWaitingFor100Continue(), "100 was sent");

        Connection rejected = new Connection(Exchange.LIMITS);
        feed(rejected, "PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 9\r\n\r\n");
        request(rejected);
        assertEquals("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                respond(rejected, new ResponseHead(401, fields("Content-Length", "0"))));
        assertFalse(rejected.theyAreWaitingFor100Continue(), "a final response was sent");
        assertEquals(State.MUST_CLOSE, rejected.ourState(), "the unread body forbids reuse");
    }

    @Test
    void notWaitingFor100ContinueWithoutBodyOrIn10() {
        for (String raw : List.of("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n",
                "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n")) {
            Connection c = new Connection(Exchange.LIMITS);
            feed(c, raw);
            request(c);
            assertFalse(c.theyAreWaitingFor100Continue(), raw);
        }
    }

    @Test
    void wholeContentLengthBodyIsOneEvent() {
        Connection c = new Connection(Exchange.LIMITS);
        String body = "x".repeat(100_000);
        feed(c, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n" + body + "GET");
        request(c);
        assertEquals(data(body), c.nextEvent());
        assertEquals(EndOfMessage.EMPTY, c.nextEvent());
        assertTrue(c.hasBufferedData(), "the next request's start stays");
    }

    @Test
    void limitsAreEnforcedAsSoonAsProven() {
        HttpLimits limits = new HttpLimits(100, 20, 10, 1000);
        Connection target = new Connection(limits);
        feed(target, "GET /" + "a".repeat(19));
        assertEquals(Signal.NEED_DATA, target.nextEvent(), "20 target bytes may still be followed by SP");
        feed(target, "a");
        assertEquals(414, assertThrows(RemoteProtocolException.class, target::nextEvent).status());

        Connection head = new Connection(limits);
        String start = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
        feed(head, start + "a".repeat(99 - start.length()));
        assertEquals(Signal.NEED_DATA, head.nextEvent(), "99 bytes may still end within the limit");
        feed(head, "a");
        RemoteProtocolException e = assertThrows(RemoteProtocolException.class, head::nextEvent);
        assertEquals(431, e.status());
        assertEquals("request head exceeds 100 bytes", e.getMessage());

        Connection exact = new Connection(limits);
        String fits = start + "a".repeat(100 - start.length() - 4) + "\r\n\r\n";
        assertEquals(100, fits.length());
        feed(exact, fits);
        assertEquals(100 - start.length() - 4, request(exact).fields().getLast().value().length(), "exactly the limit fits");
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new HttpLimits(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new HttpLimits(1, 1, 1, -1));
        assertEquals(new HttpLimits(16384, 8192, 100, 2097152), HttpLimits.defaults());
    }

    @Test
    void responseWithoutRequestCloses() {
        Connection c = new Connection(Exchange.LIMITS);
        assertEquals("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n",
                respond(c, new ResponseHead(408, List.of())));
        assertEquals(State.MUST_CLOSE, c.ourState());
        feed(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(Signal.PAUSED, c.nextEvent(), "no more requests are read");
    }

    @Test
    void remoteErrorIsRememberedAndClosesAfterResponse() {
        Connection c = new Connection(Exchange.LIMITS);
        feed(c, "GET / HTTP/1.1\r\n\r\n");
        RemoteProtocolException first = assertThrows(RemoteProtocolException.class, c::nextEvent);
        assertEquals("HTTP/1.1 request without Host", first.getMessage());
        assertSame(first, assertThrows(RemoteProtocolException.class, c::nextEvent));
        respond(c, new ResponseHead(400, fields("Content-Length", "0")));
        assertEquals(State.MUST_CLOSE, c.ourState());
        assertThrows(LocalProtocolException.class, () -> c.send(OK_EMPTY, new Output(8)), "only one error response");
    }
}
