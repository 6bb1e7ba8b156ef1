package dev.freetser.server;

import dev.freetser.http.Field;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The Date header field (RFC 9110 5.6.7, IMF-fixdate), made once per second at most. */
final class HttpDate {
    private record Cached(long second, Field field) {}

    // Not RFC_1123_DATE_TIME: it writes one-digit days, and IMF-fixdate needs two.
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    private static volatile Cached cached = new Cached(-1, null);

    private HttpDate() {}

    static Field field() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second != second) {
            c = new Cached(second, new Field("Date", IMF_FIXDATE.format(
                    Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC))));
            cached = c;
        }
        return c.field;
    }
}
