package dev.freetser.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Well-known method and field names compared as bytes, so the parser hands out one shared
 * String for common methods and recognizes the fields it acts on without making Strings.
 */
final class Names {
    static final byte[] HOST = ascii("host");
    static final byte[] EXPECT = ascii("expect");
    static final byte[] CONNECTION = ascii("connection");
    static final byte[] CONTENT_LENGTH = ascii("content-length");
    static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"};
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_BYTES[i] = ascii(METHODS[i]);
        }
    }

    private Names() {
    }

    /** The method as a String, shared for the common ones (methods are case-sensitive, RFC 9110 9.1). */
    static String method(byte[] b, int from, int length) {
        for (int i = 0; i < METHODS.length; i++) {
            byte[] m = METHOD_BYTES[i];
            if (m.length == length && Arrays.equals(b, from, from + length, m, 0, length)) {
                return METHODS[i];
            }
        }
        return new String(b, from, length, StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code b[from..]} equals a lowercase name, ignoring ASCII case (field names, RFC 9110 5.1). */
    static boolean equal(byte[] b, int from, byte[] lowercase) {
        for (int i = 0; i < lowercase.length; i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowercase[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
