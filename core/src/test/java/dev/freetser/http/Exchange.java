package dev.freetser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers that drive a {@link Connection} with bytes and collect what it does. */
final class Exchange {
    static final HttpLimits LIMITS = new HttpLimits(16384, 8192, 100, 2 * 1024 * 1024);

    private Exchange() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(Output out) {
        return new String(out.array(), 0, out.length(), StandardCharsets.ISO_8859_1);
    }

    static void feed(Connection c, String s) {
        byte[] b = bytes(s);
        c.receiveData(b, 0, b.length);
    }

    /** Calls nextEvent until it answers a Signal or ConnectionClosed, adding events to {@code events}. */
    static Next drain(Connection c, List<Event> events) {
        while (true) {
            Next next = c.nextEvent();
            if (next instanceof Signal) {
                return next;
            }
            add(events, (Event) next);
            if (next instanceof ConnectionClosed) {
                return next;
            }
        }
    }

    /** Adds an event, joining adjacent BodyData so that any split of the input gives one list. */
    static void add(List<Event> events, Event e) {
        if (e instanceof BodyData d && !events.isEmpty() && events.getLast() instanceof BodyData last) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            joined.writeBytes(last.data());
            joined.writeBytes(d.data());
            events.set(events.size() - 1, new BodyData(joined.toByteArray()));
        } else {
            events.add(e);
        }
    }

    /** The events of {@code raw} fed in pieces split at {@code splits}, checking that it ends PAUSED. */
    static List<Event> events(byte[] raw, int... splits) {
        Connection c = new Connection(LIMITS);
        List<Event> events = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= splits.length; i++) {
            int to = i < splits.length ? splits[i] : raw.length;
            c.receiveData(raw, from, to - from);
            Next last = drain(c, events);
            if (to < raw.length) {
                assertEquals(Signal.NEED_DATA, last, "before the whole request is in, at byte " + to);
            } else {
                assertEquals(Signal.PAUSED, last, "after the whole request");
            }
            from = to;
        }
        assertFalse(c.hasBufferedData(), "nothing left over");
        return events;
    }

    /**
     * Feeds {@code raw} four ways (whole, one byte at a time, split in two at every offset, and
     * followed by the start of a next request) and asserts each gives {@code expected}.
     */
    static void assertParses(String raw, List<Event> expected) {
        byte[] b = bytes(raw);
        assertEquals(expected, events(b), "whole");
        int[] everyByte = new int[b.length - 1];
        for (int i = 1; i < b.length; i++) {
            everyByte[i - 1] = i;
        }
        assertEquals(expected, events(b, everyByte), "one byte at a time");
        for (int i = 1; i < b.length; i++) {
            assertEquals(expected, events(b, i), "split at " + i);
        }
        assertTrailingBytesStay(raw, expected);
    }

    private static void assertTrailingBytesStay(String raw, List<Event> expected) {
        Connection c = new Connection(LIMITS);
        feed(c, raw + "GET /next HTTP/1.1\r\nHo");
        List<Event> events = new ArrayList<>();
        assertEquals(Signal.PAUSED, drain(c, events));
        assertEquals(expected, events, "with trailing bytes");
        assertTrue(c.hasBufferedData());
        respond(c, new ResponseHead(200, List.of(new Field("Content-Length", "0"))));
        assertEquals(State.DONE, c.ourState(), "the fixture's request must keep the connection");
        c.startNextCycle();
        feed(c, "st: x\r\n\r\n");
        RequestHead next = assertInstanceOf(RequestHead.class, c.nextEvent());
        assertEquals(new RequestHead("GET", "/next", 1, List.of(new Field("Host", "x"))), next);
    }

    /** Sends a response head and its end; returns the bytes. */
    static String respond(Connection c, ResponseHead head, Event... rest) {
        Output out = new Output(256);
        c.send(head, out);
        for (Event e : rest) {
            c.send(e, out);
        }
        if (rest.length == 0 || !(rest[rest.length - 1] instanceof EndOfMessage)) {
            c.send(EndOfMessage.EMPTY, out);
        }
        return text(out);
    }

    static List<Field> fields(String... namesAndValues) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(new Field(namesAndValues[i], namesAndValues[i + 1]));
        }
        return fields;
    }

    static BodyData data(String s) {
        return new BodyData(bytes(s));
    }
}
