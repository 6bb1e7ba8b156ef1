package dev.freetser;

/**
 * One header field as it goes on the wire. The name must be an RFC 9110 token and the value may
 * not contain CR, LF, NUL or other control characters except tab: a header can never split a
 * response.
 *
 * @throws IllegalArgumentException from the constructor when the name or value breaks those rules
 */
public record Header(String name, String value) {
    public Header {
        check(name, value);
    }

    /** The checks of the constructor, for {@link Headers}, which keeps names and values without Header objects. */
    static void check(String name, String value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("header name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("header name has a character that is not allowed in a token at index " + i);
            }
        }
        if (value == null) {
            throw new IllegalArgumentException("header value for " + name + " is null");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("header value for " + name + " has a control or non-Latin-1 character at index " + i);
            }
        }
    }

    /** RFC 9110 section 5.6.2: tchar, as a table (every request and response header passes here). */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    static boolean isTokenChar(char c) {
        return c < 128 && TCHAR[c];
    }
}
