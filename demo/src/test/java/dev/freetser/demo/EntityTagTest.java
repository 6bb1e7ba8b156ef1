package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.HttpException;
import dev.freetser.storage.Entry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagTest {
    private static Entry entry(String value, long counter) {
        return new Entry(value.getBytes(StandardCharsets.UTF_8), counter, 0);
    }

    @Test
    void tagIsCounterDashAndTruncatedSha256() {
        assertEquals("47DEQpj8HBSa-_TI", EntityTag.digest(new byte[0]));
        assertEquals("\"3-uU0nuZNNPgilLlLX\"", EntityTag.of(entry("hello world", 3)).toString());
        assertEquals(EntityTag.of(entry("hello", 0)), EntityTag.of(0, "LPJNul-wow4m6Dsq"));
    }

    @Test
    void recreatedEntryWithOtherValueGetsAnotherTag() {
        Entry before = entry("first", 0);
        Entry recreated = entry("second", 0);
        EntityTag old = EntityTag.of(before);
        assertTrue(old.matches(before, true));
        assertFalse(old.matches(recreated, true));
        assertFalse(old.matches(recreated, false));
    }

    @Test
    void counterChangeAloneChangesTheTag() {
        assertFalse(EntityTag.of(entry("same", 1)).matches(entry("same", 2), false));
    }

    @Test
    void weakTagsMatchOnlyInWeakComparison() {
        Entry e = entry("v", 5);
        EntityTag weak = new EntityTag(true, EntityTag.of(e).opaque());
        assertTrue(weak.matches(e, false));
        assertFalse(weak.matches(e, true));
        assertEquals("W/\"" + weak.opaque() + "\"", weak.toString());
    }

    @Test
    void tagsOfOtherShapesNeverMatch() {
        Entry e = entry("v", 5);
        assertFalse(new EntityTag(false, "5").matches(e, false));
        assertFalse(new EntityTag(false, "5-").matches(e, false));
        assertFalse(new EntityTag(false, "").matches(e, false));
    }

    @Test
    void listsAcceptWhitespaceEmptyElementsAndSeveralLines() {
        assertEquals(List.of(new EntityTag(false, "a"), new EntityTag(true, "b"), new EntityTag(false, "c"), new EntityTag(false, "")),
                EntityTag.parseList("If-Match", List.of(" \"a\" ,, W/\"b\",", "\"c\"\t,\"\"")));
        assertEquals(List.of(), EntityTag.parseList("If-Match", List.of(", ,")));
        assertEquals(List.of(new EntityTag(false, "x\u00e9!#~")), EntityTag.parseList("If-Match", List.of("\"x\u00e9!#~\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "\"abc", "\"a\"b", "w/\"a\"", "W/a", "\"a\" \"b\"", "\"a b\"", "*, \"a\"", "\"a\"; x", "\"\u0001\""})
    void malformedListsGive400WithoutEchoingInput(String value) {
        HttpException e = assertThrows(HttpException.class, () -> EntityTag.parseList("If-None-Match", List.of(value)));
        assertEquals(400, e.status());
        assertEquals("malformed If-None-Match header: expected * or a list of quoted entity tags", e.getMessage());
    }
}
