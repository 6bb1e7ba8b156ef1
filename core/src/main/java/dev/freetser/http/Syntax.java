package dev.freetser.http;

/**
 * The character classes and small grammars of RFC 9110 that the parser and serializer share:
 * tokens, field values, request-target bytes, comma lists (section 5.6.1) and the Host value
 * (section 7.2). Byte classes are one table lookup each, so the hot loops have no branches on
 * ranges and no virtual calls.
 */
final class Syntax {
    /** tchar (RFC 9110 5.6.2). */
    static final byte TOKEN = 1;
    /** A byte allowed in a field value: VCHAR, obs-text, SP, HTAB (RFC 9110 5.5). */
    static final byte VALUE = 2;
    /** A byte allowed in a request-target: visible ASCII (RFC 9112 3.2). */
    static final byte TARGET = 4;
    /** A hexadecimal digit. */
    static final byte HEX = 8;
    /** reg-name bytes apart from "%": unreserved and sub-delims (RFC 3986 3.2.2). */
    static final byte REG_NAME = 16;

    private static final byte[] CLASSES = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            int k = 0;
            if (c >= 0x21 && c <= 0x7E) {
                k |= TARGET | VALUE;
                if (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0) {
                    k |= TOKEN;
                }
                if (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=".indexOf(c) >= 0) {
                    k |= REG_NAME;
                }
                if (Character.digit(c, 16) >= 0) {
                    k |= HEX;
                }
            }
            if (c >= 0x80 || c == ' ' || c == '\t') {
                k |= VALUE;
            }
            CLASSES[c] = (byte) k;
        }
    }

    private Syntax() {
    }

    static boolean is(byte b, byte cls) {
        return (CLASSES[b & 0xFF] & cls) != 0;
    }

    static boolean isToken(String s) {
        return !s.isEmpty() && all(s, TOKEN);
    }

    /** Whether every char is allowed in a field value (no CR, LF, NUL or other CTL). */
    static boolean isFieldValue(String s) {
        return all(s, VALUE);
    }

    private static boolean all(String s, byte cls) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || (CLASSES[c] & cls) == 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isOws(int c) {
        return c == ' ' || c == '\t';
    }

    /**
     * The elements of a comma list (RFC 9110 5.6.1), walked without allocating: each call
     * gives the next element's bounds, OWS trimmed, empty elements skipped.
     */
    static final class ListCursor {
        private final String s;
        private int pos;
        int from;
        int to;

        ListCursor(String s) {
            this.s = s;
        }

        boolean next() {
            while (pos < s.length()) {
                int comma = s.indexOf(',', pos);
                int end = comma < 0 ? s.length() : comma;
                from = pos;
                to = end;
                pos = end + 1;
                while (from < to && isOws(s.charAt(from))) {
                    from++;
                }
                while (to > from && isOws(s.charAt(to - 1))) {
                    to--;
                }
                if (from < to) {
                    return true;
                }
            }
            return false;
        }

        boolean is(String lowercase) {
            return to - from == lowercase.length() && s.regionMatches(true, from, lowercase, 0, to - from);
        }

        String element() {
            return s.substring(from, to);
        }
    }

    /** Whether a comma list holds the token, case-insensitively. */
    static boolean listContains(String list, String lowercaseToken) {
        if (list == null) {
            return false;
        }
        ListCursor c = new ListCursor(list);
        while (c.next()) {
            if (c.is(lowercaseToken)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a value that {@link #isHost} accepts names no host: empty, or only a port (reg-name may be empty). */
    static boolean isEmptyHost(String s) {
        return s.isEmpty() || s.charAt(0) == ':';
    }

    /** Host = uri-host [ ":" port ] (RFC 9110 7.2); uri-host is IP-literal, IPv4 or reg-name (RFC 3986 3.2.2). */
    static boolean isHost(String s) {
        int hostEnd;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || !isIpLiteral(s, 1, close)) {
                return false;
            }
            hostEnd = close + 1;
            if (hostEnd < s.length() && s.charAt(hostEnd) != ':') {
                return false;
            }
        } else {
            int colon = s.indexOf(':');
            hostEnd = colon < 0 ? s.length() : colon;
            if (!isRegName(s, 0, hostEnd)) {
                return false;
            }
        }
        for (int i = hostEnd + 1; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRegName(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c > 0x7F || (CLASSES[c] & REG_NAME) == 0) {
                return false;
            }
        }
        return true;
    }

    /** IP-literal without brackets: IPv6address or IPvFuture (RFC 3986 3.2.2); no zone ids. */
    private static boolean isIpLiteral(String s, int from, int to) {
        if (from < to && (s.charAt(from) == 'v' || s.charAt(from) == 'V')) {
            int dot = s.indexOf('.', from);
            if (dot < 0 || dot >= to - 1 || dot == from + 1 || !allHex(s, from + 1, dot)) {
                return false;
            }
            for (int i = dot + 1; i < to; i++) {
                char c = s.charAt(i);
                if (c != ':' && (c > 0x7F || (CLASSES[c] & REG_NAME) == 0)) {
                    return false;
                }
            }
            return true;
        }
        return isIpv6(s, from, to);
    }

    private static boolean isIpv6(String s, int from, int to) {
        int groups = 0;
        boolean elided = false;
        int i = from;
        if (s.startsWith("::", i)) {
            elided = true;
            i += 2;
        }
        while (i < to) {
            int end = i;
            while (end < to && isHex(s.charAt(end))) {
                end++;
            }
            if (end < to && s.charAt(end) == '.') {
                // An IPv4 tail takes the place of the last two groups.
                return isIpv4(s, i, to) && (elided ? groups <= 5 : groups == 6);
            }
            if (end == i || end - i > 4) {
                return false;
            }
            groups++;
            i = end;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':' || i + 1 == to) {
                return false;
            }
            i++;
            if (s.charAt(i) == ':') {
                if (elided) {
                    return false;
                }
                elided = true;
                i++;
            }
        }
        return elided ? groups <= 7 : groups == 8;
    }

    private static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int end = i;
            while (end < to && isDigit(s.charAt(end))) {
                end++;
            }
            int len = end - i;
            if (len == 0 || len > 3 || (len > 1 && s.charAt(i) == '0')
                    || Integer.parseInt(s, i, end, 10) > 255) {
                return false;
            }
            parts++;
            if (parts < 4 && (end == to || s.charAt(end) != '.')) {
                return false;
            }
            i = end + 1;
            if (parts == 4) {
                return end == to;
            }
        }
        return false;
    }

    private static boolean allHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isHex(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return c <= 0x7F && (CLASSES[c] & HEX) != 0;
    }

    /** The value of 1*DIGIT in {@code s[from..to)} after trimming OWS, or -1 if it is not that or passes 2^63. */
    static long digits(String s, int from, int to) {
        while (from < to && isOws(s.charAt(from))) {
            from++;
        }
        while (to > from && isOws(s.charAt(to - 1))) {
            to--;
        }
        if (from == to) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c) || n > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
