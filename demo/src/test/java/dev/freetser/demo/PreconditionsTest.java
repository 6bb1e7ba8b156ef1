package dev.freetser.demo;

import static dev.freetser.demo.Preconditions.Outcome.FAILED;
import static dev.freetser.demo.Preconditions.Outcome.NOT_MODIFIED;
import static dev.freetser.demo.Preconditions.Outcome.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.freetser.Headers;
import dev.freetser.HttpException;
import dev.freetser.Request;
import dev.freetser.storage.Entry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PreconditionsTest {
    private static final Entry CURRENT = new Entry("v".getBytes(StandardCharsets.UTF_8), 2, 0);
    private static final String TAG = EntityTag.of(CURRENT).toString();
    private static final String OTHER = EntityTag.of(new Entry("w".getBytes(StandardCharsets.UTF_8), 2, 0)).toString();

    private static Preconditions of(String... headers) {
        return Preconditions.of(new Request("PUT", "/kv/kv/k", "/kv/kv/k", "", "HTTP/1.1",
                Headers.of(headers), new byte[0], null));
    }

    @Test
    void noFieldsAlwaysProceed() {
        assertEquals(PROCEED, of().evaluate(CURRENT, false));
        assertEquals(PROCEED, of().evaluate(null, true));
    }

    @Test
    void ifMatchNeedsAStrongMatchOfTheCurrentEntry() {
        assertEquals(PROCEED, of("If-Match", TAG).evaluate(CURRENT, false));
        assertEquals(PROCEED, of("If-Match", OTHER + ", " + TAG).evaluate(CURRENT, false));
        assertEquals(FAILED, of("If-Match", OTHER).evaluate(CURRENT, false));
        assertEquals(FAILED, of("If-Match", "W/" + TAG).evaluate(CURRENT, false));
    }

    @Test
    void ifMatchFailsWhenThereIsNoCurrentEntry() {
        assertEquals(FAILED, of("If-Match", TAG).evaluate(null, false));
        assertEquals(FAILED, of("If-Match", "*").evaluate(null, false));
    }

    @Test
    void ifMatchStarMatchesAnyCurrentEntry() {
        assertEquals(PROCEED, of("If-Match", "*").evaluate(CURRENT, false));
    }

    @Test
    void ifNoneMatchUsesWeakComparisonAndGives304OnlyForReads() {
        assertEquals(NOT_MODIFIED, of("If-None-Match", TAG).evaluate(CURRENT, true));
        assertEquals(NOT_MODIFIED, of("If-None-Match", OTHER + ", W/" + TAG).evaluate(CURRENT, true));
        assertEquals(FAILED, of("If-None-Match", TAG).evaluate(CURRENT, false));
        assertEquals(PROCEED, of("If-None-Match", OTHER).evaluate(CURRENT, true));
    }

    @Test
    void ifNoneMatchStarFailsOnlyWhenAnEntryExists() {
        assertEquals(FAILED, of("If-None-Match", "*").evaluate(CURRENT, false));
        assertEquals(NOT_MODIFIED, of("If-None-Match", "*").evaluate(CURRENT, true));
        assertEquals(PROCEED, of("If-None-Match", "*").evaluate(null, false));
    }

    @Test
    void ifMatchIsEvaluatedBeforeIfNoneMatch() {
        assertEquals(FAILED, of("If-Match", OTHER, "If-None-Match", OTHER).evaluate(CURRENT, true));
        assertEquals(NOT_MODIFIED, of("If-Match", TAG, "If-None-Match", TAG).evaluate(CURRENT, true));
    }

    @Test
    void severalFieldLinesFormOneList() {
        assertEquals(PROCEED, of("If-Match", OTHER, "If-Match", TAG).evaluate(CURRENT, false));
    }

    @Test
    void malformedFieldGives400() {
        HttpException e = assertThrows(HttpException.class, () -> of("If-Match", "abc"));
        assertEquals(400, e.status());
    }
}
