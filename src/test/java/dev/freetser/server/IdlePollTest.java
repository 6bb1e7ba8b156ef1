package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdlePollTest {
    /** Polls (true) and blocks at once (false) over {@code periods} idle periods, each poll finding nothing. */
    private static String missEvery(IdlePoll p, int periods) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < periods; i++) {
            boolean poll = p.worthPolling();
            s.append(poll ? 'P' : '.');
            if (poll) {
                p.polled(false);
            }
        }
        return s.toString();
    }

    @Test
    void pollsWhilePollsFindSockets() {
        IdlePoll p = new IdlePoll();
        for (int i = 0; i < 1000; i++) {
            assertTrue(p.worthPolling());
            p.polled(true);
        }
    }

    @Test
    void afterEachMissTheNextIdlePeriodsBlockTwiceAsManyAsBefore() {
        assertEquals("P.P..P....P........P", missEvery(new IdlePoll(), 20));
    }

    @Test
    void theBackOffStopsAtMaxSkipAndAHitEndsIt() {
        IdlePoll p = new IdlePoll();
        String s = missEvery(p, 1000);
        // The blocked periods between polls: 1, 2, 4, ... up to MAX_SKIP, then MAX_SKIP each time.
        String[] gaps = s.substring(1, s.lastIndexOf('P')).split("P", -1);
        int expected = 1;
        for (String gap : gaps) {
            assertEquals(expected, gap.length(), s);
            expected = Math.min(expected * 2, IdlePoll.MAX_SKIP);
        }
        assertEquals(IdlePoll.MAX_SKIP, expected);
        while (!p.worthPolling()) {
            // the rest of the current back-off
        }
        p.polled(true);
        assertTrue(p.worthPolling());
        p.polled(false);
        assertEquals(".P..P", missEvery(p, 5)); // a hit ends the back-off: one skip after the next miss
    }
}
