package dev.freetser.demo;

import dev.freetser.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw key segment of {@code /kv/{table}/{key}} into the stored key. Request.path() is
 * not percent-decoded, so this decodes each {@code %XX} to a byte (RFC 3986 section 2.1) and the
 * bytes as strict UTF-8. {@code +} stays a plus sign (it means space only in form-encoded
 * queries) and {@code /} after the table is part of the key.
 */
final class KeyDecoder {
    /** Longest key, in UTF-8 bytes after decoding. */
    static final int MAX_KEY_BYTES = 512;

    private KeyDecoder() {
    }

    /**
     * @throws HttpException 400 for an empty key, a malformed escape, invalid UTF-8 or a control
     *     character; 414 when the key exceeds {@link #MAX_KEY_BYTES}
     */
    static String decode(String raw) {
        if (raw.isEmpty()) {
            throw new HttpException(400, "empty key: use /kv/{table}/{key}");
        }
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? hex(raw.charAt(i + 1)) : -1;
                int lo = hi < 0 ? -1 : hex(raw.charAt(i + 2));
                if (lo < 0) {
                    throw new HttpException(400, "malformed percent-encoding in key: % must be followed by two hex digits");
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c > 0xff) {
                throw new HttpException(400, "key has a character outside ISO-8859-1 before decoding");
            } else {
                bytes[n++] = (byte) c;
            }
        }
        if (n > MAX_KEY_BYTES) {
            throw new HttpException(414, "key exceeds " + MAX_KEY_BYTES + " bytes");
        }
        String key;
        try {
            key = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new HttpException(400, "key is not valid UTF-8 after percent-decoding");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new HttpException(400, "key contains a control character");
            }
        }
        return key;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
