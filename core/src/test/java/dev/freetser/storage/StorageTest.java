package dev.freetser.storage;

import static dev.freetser.storage.Stores.bytes;
import static dev.freetser.storage.Stores.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.storage.Stores.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.sqlite.SQLiteException;

/** Every operation and rule of the storage semantics, on every kind of store ({@link Stores#kinds()}). */
@ParameterizedClass
@MethodSource("dev.freetser.storage.Stores#kinds")
@Timeout(10)
class StorageTest {
    @Parameter
    Kind kind;

    @TempDir
    Path dir;

    private StorageQueue store;

    @BeforeEach
    void open() {
        store = Stores.open(kind, dir, StorageOptions.defaults(), "USERS", "SESSIONS", "ORDER");
    }

    @AfterEach
    void close() {
        if (store != null) { // null when open() was skipped: no PostgreSQL server
            store.close();
        }
    }

    @Test
    void getOfMissingKeyIsEmpty() {
        assertEquals(Optional.empty(), store.execute(s -> s.get("USERS", "nobody")));
        assertEquals(Optional.empty(), store.execute(s -> s.get("USERS", "nobody", 100)));
    }

    @Test
    void addStoresValueWithCounterZeroAndExpiration() {
        store.execute(s -> {
            s.add("USERS", "ada", bytes("ada@example.org"), 1_900_000_000L);
            return null;
        });
        assertEquals(new Entry(bytes("ada@example.org"), 0, 1_900_000_000L), store.execute(s -> s.get("USERS", "ada")).orElseThrow());
    }

    @Test
    void addOfExistingKeyThrowsWithPrimaryKeyCode() {
        store.execute(s -> add(s, "ada", "first", 0));
        EntryAlreadyExistsException e = assertThrows(EntryAlreadyExistsException.class, () -> store.execute(s -> add(s, "ada", "second", 0)));
        assertEquals(1555, e.code());
        if (kind != Kind.POSTGRES) { // the cause is the engine's own: PostgreSQL's INSERT ... ON CONFLICT DO NOTHING raises none
            assertEquals(1555, assertInstanceOf(SQLiteException.class, e.getCause()).getResultCode().code);
        }
        assertEquals("an entry with this key already exists in table USERS", e.getMessage());
        assertEquals("first", text(store.execute(s -> s.get("USERS", "ada")).orElseThrow()));
    }

    @Test
    void addWithoutNowRefusesEvenAnExpiredEntry() {
        store.execute(s -> add(s, "ada", "old", 10));
        assertThrows(EntryAlreadyExistsException.class, () -> store.execute(s -> add(s, "ada", "new", 0)));
    }

    @Test
    void addWithNowReplacesAnExpiredEntryAndResetsItsCounter() {
        store.execute(s -> add(s, "ada", "old", 10));
        store.execute(s -> s.update("USERS", "ada", bytes("older"), 0, 10));
        store.execute(s -> {
            s.add("USERS", "ada", bytes("new"), 50, 11);
            return null;
        });
        assertEquals(new Entry(bytes("new"), 0, 50), store.execute(s -> s.get("USERS", "ada")).orElseThrow());
    }

    @Test
    void addWithNowRefusesALiveEntryUpToItsLastSecond() {
        store.execute(s -> add(s, "ada", "live", 10));
        store.execute(s -> add(s, "bob", "forever", 0));
        EntryAlreadyExistsException e = assertThrows(EntryAlreadyExistsException.class,
                () -> store.execute(s -> addAt(s, "ada", "new", 20, 10)));
        assertEquals(1555, e.code());
        assertThrows(EntryAlreadyExistsException.class, () -> store.execute(s -> addAt(s, "bob", "new", 0, 1_000_000)));
        assertEquals("live", text(store.execute(s -> s.get("USERS", "ada")).orElseThrow()));
    }

    @Test
    void addWithNowRefusesAnAlreadyExpiredEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.execute(s -> addAt(s, "ada", "stale", 10, 11)));
        assertEquals("expiresAt 10 is already past (now 11)", e.getMessage());
        assertEquals(Optional.empty(), store.execute(s -> s.get("USERS", "ada")));
        store.execute(s -> addAt(s, "ada", "just in time", 11, 11));
        assertEquals("just in time", text(store.execute(s -> s.get("USERS", "ada")).orElseThrow()));
    }

    @Test
    void negativeExpirationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> store.execute(s -> add(s, "ada", "x", -1)));
        assertThrows(IllegalArgumentException.class, () -> store.execute(s -> s.update("USERS", "ada", bytes("x"), 0, -1)));
    }

    @Test
    void getWithNowHidesOnlyEntriesPastTheirExpiration() {
        store.execute(s -> add(s, "ada", "expiring", 10));
        store.execute(s -> add(s, "bob", "forever", 0));
        assertEquals(true, store.execute(s -> s.get("USERS", "ada", 10)).isPresent());
        assertEquals(Optional.empty(), store.execute(s -> s.get("USERS", "ada", 11)));
        assertEquals(true, store.execute(s -> s.get("USERS", "ada")).isPresent(), "get without now ignores expiration");
        assertEquals(true, store.execute(s -> s.get("USERS", "bob", Long.MAX_VALUE)).isPresent());
    }

    @Test
    void updateWithTheStoredCounterReplacesValueAndIncrementsCounter() {
        store.execute(s -> add(s, "ada", "v0", 0));
        for (long counter = 0; counter < 3; counter++) {
            long expected = counter;
            assertEquals(true, store.execute(s -> s.update("USERS", "ada", bytes("v" + (expected + 1)), expected, 99)));
        }
        assertEquals(new Entry(bytes("v3"), 3, 99), store.execute(s -> s.get("USERS", "ada")).orElseThrow());
    }

    @Test
    void updateWithAnotherCounterChangesNothing() {
        store.execute(s -> add(s, "ada", "v0", 7));
        assertEquals(false, store.execute(s -> s.update("USERS", "ada", bytes("v1"), 1, 0)));
        assertEquals(new Entry(bytes("v0"), 0, 7), store.execute(s -> s.get("USERS", "ada")).orElseThrow());
        assertEquals(false, store.execute(s -> s.update("USERS", "nobody", bytes("v1"), 0, 0)));
        assertEquals(Optional.empty(), store.execute(s -> s.get("USERS", "nobody")));
    }

    @Test
    void deleteReturnsWhetherAnEntryWent() {
        store.execute(s -> add(s, "ada", "x", 0));
        assertEquals(true, store.execute(s -> s.delete("USERS", "ada")));
        assertEquals(false, store.execute(s -> s.delete("USERS", "ada")));
        assertEquals(Optional.empty(), store.execute(s -> s.get("USERS", "ada")));
    }

    @Test
    void listKeysIsInUtf8ByteOrder() {
        for (String key : List.of("b", "é", "aa", "B", "a", "\uD83D\uDE00", "\uFFFD")) {
            store.execute(s -> add(s, key, "x", 0));
        }
        // U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
        assertEquals(List.of("B", "a", "aa", "b", "é", "\uFFFD", "\uD83D\uDE00"), store.execute(s -> s.listKeys("USERS")));
        assertEquals(List.of(), store.execute(s -> s.listKeys("SESSIONS")));
    }

    @Test
    void clearEmptiesOnlyItsTable() {
        store.execute(s -> add(s, "ada", "x", 0));
        store.execute(s -> {
            s.add("SESSIONS", "s1", bytes("ada"), 0);
            s.clear("USERS");
            return null;
        });
        assertEquals(List.of(), store.execute(s -> s.listKeys("USERS")));
        assertEquals(List.of("s1"), store.execute(s -> s.listKeys("SESSIONS")));
    }

    @Test
    void tablesAreSeparateKeySpaces() {
        store.execute(s -> add(s, "k", "user", 0));
        store.execute(s -> {
            s.add("SESSIONS", "k", bytes("session"), 0);
            return null;
        });
        assertEquals("user", text(store.execute(s -> s.get("USERS", "k")).orElseThrow()));
        assertEquals("session", text(store.execute(s -> s.get("SESSIONS", "k")).orElseThrow()));
    }

    @Test
    void anSqlKeywordIsAUsableTableName() {
        store.execute(s -> {
            s.add("ORDER", "o1", bytes("x"), 0);
            return null;
        });
        assertEquals(List.of("o1"), store.execute(s -> s.listKeys("ORDER")));
    }

    @Test
    void emptyAndBinaryValuesRoundTrip() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        store.execute(s -> {
            s.add("USERS", "empty", new byte[0], 0);
            s.add("USERS", "all", all, 0);
            return null;
        });
        assertArrayEquals(new byte[0], store.execute(s -> s.get("USERS", "empty")).orElseThrow().value());
        assertArrayEquals(all, store.execute(s -> s.get("USERS", "all")).orElseThrow().value());
    }

    @Test
    void unknownTableIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.execute(s -> s.get("users", "k")));
        assertEquals("unknown table users: the open tables are [USERS, SESSIONS, ORDER]", e.getMessage());
    }

    @Test
    void maliciousTableNameIsRefusedWithoutEchoingIt() {
        String evil = "USERS\"; DROP TABLE \"SESSIONS";
        for (Routine<?> routine : List.<Routine<?>>of(
                s -> s.get(evil, "k"), s -> s.listKeys(evil), s -> s.delete(evil, "k"), s -> s.update(evil, "k", bytes("x"), 0, 0))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.execute(routine));
            assertFalse(e.getMessage().contains("DROP"), e.getMessage());
            assertTrue(e.getMessage().startsWith("invalid table name: it must match [A-Za-z_][A-Za-z0-9_]*"), e.getMessage());
        }
        store.execute(s -> {
            s.add("SESSIONS", "still", bytes("here"), 0);
            return null;
        });
        assertEquals(List.of("still"), store.execute(s -> s.listKeys("SESSIONS")));
    }

    @Test
    void nullKeyOrValueIsRefused() {
        assertThrows(NullPointerException.class, () -> store.execute(s -> s.get("USERS", null)));
        assertThrows(NullPointerException.class, () -> store.execute(s -> add(s, null, "x", 0)));
        assertThrows(NullPointerException.class, () -> store.execute(s -> {
            s.add("USERS", "k", null, 0);
            return null;
        }));
    }

    private static Void add(Storage s, String key, String value, long expiresAt) {
        s.add("USERS", key, bytes(value), expiresAt);
        return null;
    }

    private static Void addAt(Storage s, String key, String value, long expiresAt, long now) {
        s.add("USERS", key, bytes(value), expiresAt, now);
        return null;
    }
}
