package dev.freetser;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An immutable, ordered list of header fields with case-insensitive lookup by name. Order and
 * repeated names are kept as received (or as added), which matters for fields like Set-Cookie.
 */
public final class Headers implements Iterable<Header> {
    private static final Headers EMPTY = new Headers(List.of());

    private final List<Header> fields;

    private Headers(List<Header> fields) {
        this.fields = fields;
    }

    /** No fields. */
    public static Headers empty() {
        return EMPTY;
    }

    /** The given fields, in order. */
    public static Headers of(List<Header> fields) {
        return fields.isEmpty() ? EMPTY : new Headers(List.copyOf(fields));
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
        List<Header> list = new ArrayList<>(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            list.add(new Header(namesAndValues[i], namesAndValues[i + 1]));
        }
        return of(list);
    }

    /** The first value of the named field, or {@code null} when there is none. */
    public String get(String name) {
        for (Header h : fields) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** Every value of the named field, in order; empty when there is none. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (Header h : fields) {
            if (h.name().equalsIgnoreCase(name)) {
                values.add(h.value());
            }
        }
        return values;
    }

    /** Whether at least one field has this name. */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /** A copy with one more field at the end. */
    public Headers with(String name, String value) {
        List<Header> list = new ArrayList<>(fields.size() + 1);
        list.addAll(fields);
        list.add(new Header(name, value));
        return new Headers(List.copyOf(list));
    }

    /** A copy without any field of this name. */
    public Headers without(String name) {
        List<Header> list = new ArrayList<>(fields.size());
        for (Header h : fields) {
            if (!h.name().equalsIgnoreCase(name)) {
                list.add(h);
            }
        }
        return list.size() == fields.size() ? this : of(list);
    }

    /** The fields in order. */
    public List<Header> list() {
        return fields;
    }

    public int size() {
        return fields.size();
    }

    @Override
    public Iterator<Header> iterator() {
        return fields.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
