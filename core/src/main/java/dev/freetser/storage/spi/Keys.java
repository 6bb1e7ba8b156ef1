package dev.freetser.storage.spi;

import dev.freetser.storage.Storage;
import java.util.Objects;

/**
 * The rules every engine applies to keys and entries before any SQL runs, so that a key one
 * engine takes, every engine takes, and means the same.
 */
public final class Keys {
    private Keys() {
    }

    /**
     * A key is any string without U+0000 (PostgreSQL text cannot hold it) and without a lone
     * surrogate (it has no UTF-8 form: the drivers would store '?' in its place, so two keys
     * would meet).
     *
     * @throws NullPointerException     if the key is null
     * @throws IllegalArgumentException if it holds U+0000 or a lone surrogate
     */
    public static String requireKey(String key) {
        return requireText("key", Objects.requireNonNull(key, "key"));
    }

    /** Checks the key, the value (not null) and the expiration (0 or a Unix time). */
    public static void requireEntry(String key, byte[] value, long expiresAt) {
        requireKey(key);
        Objects.requireNonNull(value, "value");
        if (expiresAt < 0) {
            throw new IllegalArgumentException("expiresAt must be 0 (never) or a Unix time in seconds, was " + expiresAt);
        }
    }

    /** Checks a listing's arguments: a prefix and an {@code after} (or null) as keys, the limit in range. */
    public static void requireListing(String prefix, String after, int limit) {
        requireText("prefix", Objects.requireNonNull(prefix, "prefix"));
        if (after != null) {
            requireText("after", after);
        }
        if (limit < 1 || limit > Storage.MAX_LIST_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + Storage.MAX_LIST_LIMIT + ", was " + limit);
        }
    }

    /** Whether an entry with this expiration has expired at {@code now} (Unix seconds; 0 never expires). */
    public static boolean expired(long expiresAt, long now) {
        return expiresAt > 0 && now > expiresAt;
    }

    /**
     * The least string above every string that starts with {@code prefix}, in code point order
     * (which is UTF-8 byte order, the order of keys on every engine), or null when there is none
     * ("" or only U+10FFFF). Incrementing the last code point, not the last char, keeps it valid UTF-16.
     */
    public static String prefixEnd(String prefix) {
        int end = prefix.length();
        while (end > 0) {
            int last = prefix.codePointBefore(end);
            end -= Character.charCount(last);
            if (last < Character.MAX_CODE_POINT) {
                // U+D800..U+DFFF are not characters: after U+D7FF comes U+E000.
                int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
                return new StringBuilder(end + 2).append(prefix, 0, end).appendCodePoint(next).toString();
            }
        }
        return null;
    }

    private static String requireText(String name, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException(name + " holds U+0000 at index " + i + ": no engine stores it in text");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(name + " holds a lone surrogate at index " + i + ": it is not valid Unicode");
            }
        }
        return s;
    }
}
