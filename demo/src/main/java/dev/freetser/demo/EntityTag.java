package dev.freetser.demo;

import dev.freetser.HttpException;
import dev.freetser.storage.Entry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * An entity tag (RFC 9110 section 8.8.3) as the KV API makes and reads them.
 *
 * <p>The demo's tags are strong and look like {@code "7-q1w2e3r4t5y6u7i8o9"}: the entry's counter,
 * a dash, and the first 96 bits of the SHA-256 of its value in base64url. The counter alone is
 * not enough: deleting a key and creating it again starts the counter at 0 once more (the ABA
 * problem), and an If-Match carrying the old tag would then match a different value. With the
 * digest, two entries share a tag only when counter and value bytes are equal, in which case the
 * representation is the same and a match is correct.
 *
 * @param weak whether the tag carried the {@code W/} prefix
 * @param opaque the characters between the quotes
 */
record EntityTag(boolean weak, String opaque) {

    /** The strong tag of a value at a counter; {@code digest} is {@link #digest(byte[])} of the value. */
    static EntityTag of(long counter, String digest) {
        return new EntityTag(false, counter + "-" + digest);
    }

    /** The strong tag of a stored entry. */
    static EntityTag of(Entry entry) {
        return of(entry.counter(), digest(entry.value()));
    }

    /** 96 bits of SHA-256 in base64url without padding: 16 characters. */
    static String digest(byte[] value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Whether this tag names the entry's current representation. Weak comparison (RFC 9110
     * section 8.8.3.2) ignores the W/ prefix; strong comparison needs both tags strong. The value
     * is hashed only when the counter already matches.
     */
    boolean matches(Entry entry, boolean strong) {
        if (strong && weak) {
            return false;
        }
        String counter = Long.toString(entry.counter());
        return opaque.length() == counter.length() + 17 && opaque.startsWith(counter)
                && opaque.charAt(counter.length()) == '-' && opaque.equals(counter + "-" + digest(entry.value()));
    }

    /** The field value form: {@code "opaque"} or {@code W/"opaque"}. */
    @Override
    public String toString() {
        return (weak ? "W/\"" : "\"") + opaque + '"';
    }

    /**
     * Parses the list form {@code #entity-tag} of If-Match and If-None-Match (RFC 9110 sections
     * 13.1.1, 13.1.2 and 5.6.1: empty elements and whitespace around commas are allowed).
     * Several field lines of the same name are one list.
     *
     * @throws HttpException 400 naming the field when an element is not an entity tag
     */
    static List<EntityTag> parseList(String field, List<String> lines) {
        List<EntityTag> tags = new ArrayList<>(2);
        for (String line : lines) {
            int i = 0;
            int n = line.length();
            while (i < n) {
                char c = line.charAt(i);
                if (c == ',' || c == ' ' || c == '\t') {
                    i++;
                    continue;
                }
                boolean weak = line.startsWith("W/", i);
                int open = weak ? i + 2 : i;
                if (open >= n || line.charAt(open) != '"') {
                    throw malformed(field);
                }
                int close = open + 1;
                while (close < n && isEtagChar(line.charAt(close))) {
                    close++;
                }
                if (close >= n || line.charAt(close) != '"') {
                    throw malformed(field);
                }
                tags.add(new EntityTag(weak, line.substring(open + 1, close)));
                i = close + 1;
                while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw malformed(field);
                }
            }
        }
        return tags;
    }

    /** etagc = %x21 / %x23-7E / obs-text. */
    private static boolean isEtagChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
    }

    private static HttpException malformed(String field) {
        return new HttpException(400, "malformed " + field + " header: expected * or a list of quoted entity tags");
    }
}
