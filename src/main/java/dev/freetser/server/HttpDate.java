package dev.freetser.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The Date header value (RFC 9110 5.6.7, IMF-fixdate), formatted once per second at most. */
final class HttpDate {
    private record Cached(long second, String value) {}

    // Not RFC_1123_DATE_TIME: it writes one-digit days, and IMF-fixdate needs two.
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    private static volatile Cached cached = new Cached(-1, "");

    private HttpDate() {}

    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second != second) {
            c = new Cached(second, IMF_FIXDATE.format(
                    Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC)));
            cached = c;
        }
        return c.value;
    }
}
