package dev.freetser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Set;

/**
 * Arbitrary bytes, split arbitrarily, into a server connection that answers every request:
 * only {@link RemoteProtocolException} with a known status may escape, an error response must
 * still be sendable after it, and every loop is bounded. Runs the seed corpus in
 * {@code ConnectionFuzzTestInputs/} as a regression test; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ConnectionFuzzTest {
    private static final HttpLimits LIMITS = new HttpLimits(512, 128, 16, 4096);
    private static final Set<Integer> STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);
    private static final int MAX_EVENTS = 10_000;

    /** The first input byte picks the split pattern; the rest is what the peer sends. */
    @FuzzTest(maxDuration = "3m")
    void arbitraryBytes(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int pattern = input[0] & 0xFF;
        Connection c = new Connection(LIMITS);
        Output out = new Output(256);
        try {
            int pos = 1;
            for (int i = 0; pos < input.length; i++) {
                int n = pattern == 0 ? input.length - pos : Math.min(input.length - pos, (pattern * (i + 1)) % 31 + 1);
                c.receiveData(input, pos, n);
                pos += n;
                if (!drive(c, out)) {
                    return;
                }
            }
            c.receiveEof();
            drive(c, out);
        } catch (RemoteProtocolException e) {
            assertTrue(STATUSES.contains(e.status()), e.status() + " " + e.getMessage());
            assertEquals(State.ERROR, c.theirState());
            c.send(new ResponseHead(e.status(), List.of(new Field("Content-Length", "0"))), out);
            c.send(EndOfMessage.EMPTY, out);
            assertEquals(State.MUST_CLOSE, c.ourState());
        }
    }

    /** Reads and answers requests until more data is needed; false once the connection is over. */
    private static boolean drive(Connection c, Output out) {
        for (int i = 0; i < MAX_EVENTS; i++) {
            Next next = c.nextEvent();
            switch (next) {
                case Signal.NEED_DATA -> {
                    return true;
                }
                case Signal.PAUSED -> {
                    if (!answer(c, out)) {
                        return false;
                    }
                }
                case ConnectionClosed closed -> {
                    return false;
                }
                case RequestHead head -> assertTrue(head.minorVersion() == 0 || head.minorVersion() == 1);
                case BodyData data -> assertTrue(data.data().length > 0);
                case EndOfMessage end -> assertTrue(c.theirState() == State.DONE || c.theirState() == State.MUST_CLOSE);
                case InformationalResponse r -> throw new AssertionError("a server never reads " + r);
                case ResponseHead r -> throw new AssertionError("a server never reads " + r);
            }
        }
        throw new AssertionError("no progress after " + MAX_EVENTS + " events");
    }

    /** Sends a chunked response; false when the connection must close afterwards. */
    private static boolean answer(Connection c, Output out) {
        out.reset();
        c.send(new ResponseHead(200, List.of()), out);
        c.send(new BodyData(new byte[] {'o', 'k'}), out);
        c.send(EndOfMessage.EMPTY, out);
        if (c.ourState() == State.MUST_CLOSE) {
            return false;
        }
        c.startNextCycle();
        return true;
    }
}
