package dev.freetser.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class EntryTest {
    @Test
    void equalityComparesTheBytesOfTheValue() {
        Entry entry = new Entry(new byte[] {1, 2}, 3, 4);
        assertEquals(new Entry(new byte[] {1, 2}, 3, 4), entry);
        assertEquals(new Entry(new byte[] {1, 2}, 3, 4).hashCode(), entry.hashCode());
        assertNotEquals(new Entry(new byte[] {1, 3}, 3, 4), entry);
        assertNotEquals(new Entry(new byte[] {1, 2}, 4, 4), entry);
        assertNotEquals(new Entry(new byte[] {1, 2}, 3, 5), entry);
    }

    @Test
    void toStringShowsTheBytes() {
        assertEquals("Entry[value=[104, 105], counter=3, expiresAt=0]", new Entry(new byte[] {'h', 'i'}, 3, 0).toString());
    }
}
