package dev.freetser.storage;

import static dev.freetser.storage.Stores.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.storage.Stores.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Storage.listKeys with prefix, after, limit and now, and Storage.count: on every kind of store ({@link Stores#kinds()}). */
@ParameterizedClass
@MethodSource("dev.freetser.storage.Stores#kinds")
@Timeout(20)
class ListKeysTest {
    private static final long NOW = 1_000;
    /** Keys whose UTF-8 byte order differs from UTF-16 order, end at a code point's edge, or hold U+0001. */
    private static final List<String> TRICKY = List.of(
            "", "a", "a\u0001", "a\u0001b", "ab", "abc", "ab\u007f", "ab\u0080", "ab\uFFFF", "ab\uD83D\uDE00", "ab\uDBFF\uDFFF",
            "ab\uDBFF\uDFFFz", "ac", "b", "\uD7FF", "\uD7FFx", "\uE000", "é", "éa", "ê", "\uFFFD", "\uDBFF\uDFFF",
            "\uDBFF\uDFFF\uDBFF\uDFFF");

    @Parameter
    Kind kind;

    @TempDir
    Path dir;

    private StorageQueue store;

    @BeforeEach
    void open() {
        store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS", "EMPTY");
    }

    @AfterEach
    void close() {
        if (store != null) { // null when open() was skipped: no PostgreSQL server
            store.close();
        }
    }

    private void addAll(List<String> keys, long expiresAt) {
        store.execute(s -> {
            for (String key : keys) {
                s.add("USERS", key, bytes("v"), expiresAt);
            }
            return null;
        });
    }

    private List<String> list(String prefix, String after, int limit, long now) {
        return store.read(s -> s.listKeys("USERS", prefix, after, limit, now));
    }

    private long count(String table, long now) {
        return store.read(s -> s.count(table, now));
    }

    /** Every page from the start, each after the previous page's last key. */
    private List<List<String>> pages(String prefix, int limit) {
        List<List<String>> pages = new ArrayList<>();
        String after = null;
        while (true) {
            List<String> page = list(prefix, after, limit, NOW);
            pages.add(page);
            if (page.size() < limit) {
                return pages;
            }
            after = page.getLast();
        }
    }

    @Test
    void aLimitedListStartsAtTheFirstKeyInByteOrder() {
        addAll(List.of("b", "é", "aa", "B", "a", "\uD83D\uDE00", "\uFFFD"), 0);
        // U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
        assertEquals(List.of("B", "a", "aa", "b", "é", "\uFFFD", "\uD83D\uDE00"), list("", null, 100, NOW));
        assertEquals(List.of("B", "a", "aa"), list("", null, 3, NOW));
        assertEquals(List.of("B"), list("", null, 1, NOW));
    }

    @Test
    void pagesAfterTheLastKeyReachEveryKeyExactlyOnce() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            keys.add("user-" + i);
        }
        keys.addAll(TRICKY);
        addAll(keys, 0);
        List<String> all = store.read(s -> s.listKeys("USERS"));
        assertEquals(273, all.size());
        for (int limit : new int[] {1, 7, 91, 273, 10_000}) {
            List<List<String>> pages = pages("", limit);
            List<String> joined = new ArrayList<>();
            pages.forEach(joined::addAll);
            assertEquals(all, joined, "limit " + limit);
            assertEquals(273 / limit + 1, pages.size(), "limit " + limit); // the last page is short, maybe empty
            for (List<String> page : pages.subList(0, pages.size() - 1)) {
                assertEquals(limit, page.size());
            }
        }
    }

    @Test
    void afterNeedNotBeAKeyAndIsItselfLeftOut() {
        addAll(List.of("a", "b", "c", "d"), 0);
        assertEquals(List.of("c", "d"), list("", "b", 10, NOW));
        assertEquals(List.of("c", "d"), list("", "bzz", 10, NOW));
        assertEquals(List.of("a", "b", "c", "d"), list("", "", 10, NOW));
        assertEquals(List.of(), list("", "d", 10, NOW));
        assertEquals(List.of(), list("", "\uDBFF\uDFFF", 10, NOW));
    }

    @Test
    void theEmptyKeyIsListedFromTheStartButNotAfterTheEmptyString() {
        addAll(List.of("", "a"), 0);
        assertEquals(List.of("", "a"), list("", null, 10, NOW));
        assertEquals(List.of("a"), list("", "", 10, NOW));
    }

    @Test
    void aPrefixListsExactlyTheKeysThatStartWithIt() {
        addAll(TRICKY, 0);
        List<String> all = store.read(s -> s.listKeys("USERS"));
        TreeSet<String> prefixes = new TreeSet<>(List.of("\u0001", "x", "abd", "ab\uD83D", "\uD7FE", "\uFFFF"));
        for (String key : TRICKY) {
            for (int end = 0; end <= key.length(); end++) {
                if (end == 0 || end == key.length() || !Character.isHighSurrogate(key.charAt(end - 1))) {
                    prefixes.add(key.substring(0, end));
                }
            }
        }
        prefixes.remove("ab\uD83D"); // a lone surrogate: refused, see below
        for (String prefix : prefixes) {
            List<String> expected = all.stream().filter(k -> k.startsWith(prefix)).toList();
            assertEquals(expected, list(prefix, null, 10_000, NOW), () -> "prefix " + escape(prefix));
            List<String> joined = new ArrayList<>();
            pages(prefix, 2).forEach(joined::addAll);
            assertEquals(expected, joined, () -> "pages of prefix " + escape(prefix));
        }
    }

    @Test
    void aPrefixWithAnAfterBelowItStartsAtThePrefix() {
        addAll(List.of("a1", "b1", "b2", "b3", "c1"), 0);
        assertEquals(List.of("b1", "b2", "b3"), list("b", "a9", 10, NOW));
        assertEquals(List.of("b3"), list("b", "b2", 10, NOW));
        assertEquals(List.of(), list("b", "c", 10, NOW));
    }

    @Test
    void theEndOfAPrefixIsTheNextCodePoint() {
        assertNull(dev.freetser.storage.spi.Keys.prefixEnd(""));
        assertEquals("b", dev.freetser.storage.spi.Keys.prefixEnd("a"));
        assertEquals("ab\u0080", dev.freetser.storage.spi.Keys.prefixEnd("ab\u007f"));
        assertEquals("\uE000", dev.freetser.storage.spi.Keys.prefixEnd("\uD7FF"));
        assertEquals("\uD800\uDC00", dev.freetser.storage.spi.Keys.prefixEnd("\uFFFF"));
        assertEquals("a\uD83D\uDE01", dev.freetser.storage.spi.Keys.prefixEnd("a\uD83D\uDE00"));
        assertEquals("b", dev.freetser.storage.spi.Keys.prefixEnd("a\uDBFF\uDFFF"));
        assertNull(dev.freetser.storage.spi.Keys.prefixEnd("\uDBFF\uDFFF\uDBFF\uDFFF"));
    }

    @Test
    void expiredEntriesAreLeftOutByTheSameRuleAsGet() {
        addAll(List.of("forever"), 0);
        addAll(List.of("at-999"), 999);
        addAll(List.of("at-1000"), 1_000);
        addAll(List.of("at-1001"), 1_001);
        for (long now : new long[] {0, 999, 1_000, 1_001, 1_002}) {
            List<String> live = store.read(s -> s.listKeys("USERS").stream().filter(k -> s.get("USERS", k, now).isPresent()).toList());
            assertEquals(live, list("", null, 100, now), "now " + now);
            assertEquals(live.size(), count("USERS", now), "now " + now);
        }
        assertEquals(List.of("at-1000", "at-1001", "forever"), list("", null, 100, 1_000));
        assertEquals(List.of("at-1001", "forever"), list("", null, 100, 1_001));
        assertEquals(4, store.read(s -> s.listKeys("USERS")).size()); // still stored, only not listed
    }

    @Test
    void expiredEntriesDoNotTakeUpALimitedPage() {
        addAll(List.of("a", "c", "e"), 0);
        addAll(List.of("b", "d", "f"), 500);
        assertEquals(List.of("a", "c"), list("", null, 2, NOW));
        assertEquals(List.of("e"), list("", "c", 2, NOW));
        assertEquals(3, count("USERS", NOW));
        assertEquals(6, count("USERS", 500));
    }

    @Test
    void anEmptyTableHasNoKeysAndCountsZero() {
        assertEquals(List.of(), store.read(s -> s.listKeys("EMPTY", "", null, 10, NOW)));
        assertEquals(List.of(), store.read(s -> s.listKeys("EMPTY", "a", "a", 10, NOW)));
        assertEquals(0, count("EMPTY", NOW));
    }

    @Test
    void theWritingConnectionListsTheSame() {
        addAll(List.of("a", "b"), 0);
        assertEquals(List.of("b"), store.execute(s -> s.listKeys("USERS", "", "a", 10, NOW)));
        long counted = store.execute(s -> s.count("USERS", NOW));
        assertEquals(2, counted);
    }

    @Test
    void badArgumentsAreRefusedWithWhatWasWrong() {
        for (int limit : new int[] {0, -1, Storage.MAX_LIST_LIMIT + 1, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> list("", null, limit, NOW));
            assertEquals("limit must be from 1 to 10000, was " + limit, e.getMessage());
        }
        IllegalArgumentException lone = assertThrows(IllegalArgumentException.class, () -> list("ab\uD83D", null, 1, NOW));
        assertEquals("prefix holds a lone surrogate at index 2: it is not valid Unicode", lone.getMessage());
        lone = assertThrows(IllegalArgumentException.class, () -> list("", "\uDE00x", 1, NOW));
        assertEquals("after holds a lone surrogate at index 0: it is not valid Unicode", lone.getMessage());
        assertThrows(NullPointerException.class, () -> list(null, null, 1, NOW));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> store.read(s -> s.listKeys("NOPE", "", null, 1, NOW)));
        assertTrue(unknown.getMessage().startsWith("unknown table NOPE"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.read(s -> s.count("NOPE", NOW)));
        assertEquals(List.of(), list("", null, Storage.MAX_LIST_LIMIT, NOW));
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04X", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
