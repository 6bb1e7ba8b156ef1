package dev.freetser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * An immutable, ordered list of header fields with case-insensitive lookup by name. Order and
 * repeated names are kept as received (or as added), which matters for fields like Set-Cookie.
 *
 * <p>Every field is checked once, on its way in: by {@link Header}'s constructor, by the
 * factories here, or, for a request's fields, by the server's parser as it reads them. The
 * names and values are kept as strings, so looking a field up makes no objects.
 */
public final class Headers implements Iterable<Header> {
    private static final Headers EMPTY = new Headers(new String[0]);

    /** Names at even indexes, each followed by its value; checked before they get here, never changed. */
    private final String[] namesAndValues;

    private Headers(String[] namesAndValues) {
        this.namesAndValues = namesAndValues;
    }

    /** No fields. */
    public static Headers empty() {
        return EMPTY;
    }

    /** The given fields, in order. */
    public static Headers of(List<Header> fields) {
        Header[] given = fields.toArray(new Header[0]);
        String[] namesAndValues = new String[given.length * 2];
        for (int i = 0; i < given.length; i++) {
            namesAndValues[2 * i] = given[i].name();
            namesAndValues[2 * i + 1] = given[i].value();
        }
        return ofChecked(namesAndValues);
    }

    /**
     * Fields from alternating names and values: {@code Headers.of("Content-Type", "text/plain")}.
     *
     * @throws IllegalArgumentException for an odd count or an invalid name or value
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Headers.of needs name/value pairs, got an odd count");
        }
        String[] copy = namesAndValues.clone();
        for (int i = 0; i < copy.length; i += 2) {
            Header.check(copy[i], copy[i + 1]);
        }
        return ofChecked(copy);
    }

    /**
     * Fields already checked, as alternating names and values, kept as they are (the array too).
     * The server's parser checks a request's fields byte by byte while it reads them, so
     * {@link Server#start} hands this factory to the server, which builds each request's headers
     * with it. Package-private: nothing unchecked may come in this way.
     */
    static Headers ofChecked(String[] namesAndValues) {
        return namesAndValues.length == 0 ? EMPTY : new Headers(namesAndValues);
    }

    /** The first value of the named field, or {@code null} when there is none. */
    public String get(String name) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i].equalsIgnoreCase(name)) {
                return namesAndValues[i + 1];
            }
        }
        return null;
    }

    /** Every value of the named field, in order; empty when there is none. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i].equalsIgnoreCase(name)) {
                values.add(namesAndValues[i + 1]);
            }
        }
        return values;
    }

    /** Whether at least one field has this name. */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * A copy with one more field at the end.
     *
     * @throws IllegalArgumentException when the name or value is not allowed (see {@link Header})
     */
    public Headers with(String name, String value) {
        Header.check(name, value);
        String[] more = Arrays.copyOf(namesAndValues, namesAndValues.length + 2);
        more[namesAndValues.length] = name;
        more[namesAndValues.length + 1] = value;
        return new Headers(more);
    }

    /** A copy without any field of this name. */
    public Headers without(String name) {
        String[] kept = new String[namesAndValues.length];
        int n = 0;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!namesAndValues[i].equalsIgnoreCase(name)) {
                kept[n++] = namesAndValues[i];
                kept[n++] = namesAndValues[i + 1];
            }
        }
        return n == kept.length ? this : ofChecked(Arrays.copyOf(kept, n));
    }

    /**
     * The name of the field at {@code index}, counted from 0 in order.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public String name(int index) {
        return namesAndValues[2 * checkIndex(index)];
    }

    /**
     * The value of the field at {@code index}, counted from 0 in order.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public String value(int index) {
        return namesAndValues[2 * checkIndex(index) + 1];
    }

    /**
     * The fields in order, as new {@link Header} objects (which check their text again; to read
     * the fields without making objects, use {@link #name} and {@link #value}).
     */
    public List<Header> list() {
        Header[] list = new Header[size()];
        for (int i = 0; i < list.length; i++) {
            list[i] = new Header(namesAndValues[2 * i], namesAndValues[2 * i + 1]);
        }
        return List.of(list);
    }

    public int size() {
        return namesAndValues.length / 2;
    }

    @Override
    public Iterator<Header> iterator() {
        return list().iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && Arrays.equals(namesAndValues, other.namesAndValues);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(namesAndValues);
    }

    @Override
    public String toString() {
        return list().toString();
    }

    private int checkIndex(int index) {
        return Objects.checkIndex(index, size());
    }
}
