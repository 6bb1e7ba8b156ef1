package dev.freetser.demo;

import dev.freetser.HttpException;
import dev.freetser.Request;
import dev.freetser.Response;
import dev.freetser.storage.Entry;
import dev.freetser.storage.Store;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The key-value API under {@code /kv}: the store's optimistic concurrency (an update succeeds only
 * at the counter it read) offered as HTTP conditional requests (RFC 9110 section 13).
 *
 * <ul>
 * <li>{@code GET /kv} lists the tables; {@code GET /kv/{table}?prefix=&after=&limit=} lists live
 *     keys a page at a time; a {@code Link} header with {@code rel="next"} points to the next page.
 * <li>{@code GET|HEAD /kv/{table}/{key}}: the value with its {@link EntityTag}; If-None-Match
 *     gives 304, a failed If-Match 412; 404 when absent or expired.
 * <li>{@code PUT}: creates (201) or replaces value and TTL (200); {@code If-None-Match: *}
 *     creates only, {@code If-Match} replaces only that representation; 412 otherwise.
 * <li>{@code DELETE}: 204, 404 or 412.
 * </ul>
 *
 * Each write evaluates its preconditions inside the storage routine that writes, so nothing can
 * change in between; a request that fails validation never reaches the store.
 */
final class KvRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final long MAX_TTL_SECONDS = 315_360_000;

    private static final String KEY_METHODS = "GET, HEAD, PUT, DELETE";
    private static final String READ_METHODS = "GET, HEAD";

    private final List<String> tables;
    private final LongSupplier clock;

    /** @param clock the current time in Unix seconds (expiration is checked against it) */
    KvRoutes(List<String> tables, LongSupplier clock) {
        this.tables = List.copyOf(tables);
        this.clock = clock;
    }

    /** Answers a request whose path is {@code /kv} or starts with {@code /kv/}. */
    Response handle(Request request, Store store) {
        String path = request.path();
        if (path.length() <= 4) {
            return isRead(request) ? Response.json(tables) : notAllowed(READ_METHODS);
        }
        String rest = path.substring(4);
        int slash = rest.indexOf('/');
        String table = slash < 0 ? rest : rest.substring(0, slash);
        if (!tables.contains(table)) {
            throw new HttpException(404, "unknown table; the tables are " + String.join(", ", tables));
        }
        if (slash < 0) {
            return isRead(request) ? list(request, store, table) : notAllowed(READ_METHODS);
        }
        String key = KeyDecoder.decode(rest.substring(slash + 1));
        return switch (request.method()) {
            case "GET", "HEAD" -> get(request, store, table, key);
            case "PUT" -> put(request, store, table, key);
            case "DELETE" -> delete(request, store, table, key);
            default -> notAllowed(KEY_METHODS);
        };
    }

    private Response get(Request request, Store store, String table, String key) {
        Preconditions conditions = Preconditions.of(request);
        long now = clock.getAsLong();
        Entry entry = store.read(s -> s.get(table, key, now)).orElse(null);
        if (entry == null) {
            throw new HttpException(404, "no such key");
        }
        String tag = EntityTag.of(entry).toString();
        return switch (conditions.evaluate(entry, true)) {
            case PROCEED -> Response.bytes("application/octet-stream", entry.value()).withHeader("ETag", tag);
            case NOT_MODIFIED -> Response.empty(304).withHeader("ETag", tag);
            case FAILED -> throw preconditionFailed();
        };
    }

    /** What a write routine did: the status to answer and the counter the entry now has. */
    private record Written(int status, long counter) {
    }

    private Response put(Request request, Store store, String table, String key) {
        Preconditions conditions = Preconditions.of(request);
        long now = clock.getAsLong();
        long expiresAt = expiresAt(request, now);
        byte[] value = request.body();
        String digest = EntityTag.digest(value);
        Written written = store.execute(s -> {
            Entry current = s.get(table, key, now).orElse(null);
            if (conditions.evaluate(current, false) != Preconditions.Outcome.PROCEED) {
                return new Written(412, -1);
            }
            if (current == null) {
                s.add(table, key, value, expiresAt, now);
                return new Written(201, 0);
            }
            if (!s.update(table, key, value, current.counter(), expiresAt)) {
                throw new IllegalStateException("entry changed inside its own transaction");
            }
            return new Written(200, current.counter() + 1);
        });
        if (written.status() == 412) {
            throw preconditionFailed();
        }
        return Response.empty(written.status()).withHeader("ETag", EntityTag.of(written.counter(), digest).toString());
    }

    /** RFC 9110 section 13.2.1: preconditions are ignored when the answer would be 404 anyway. */
    private Response delete(Request request, Store store, String table, String key) {
        Preconditions conditions = Preconditions.of(request);
        long now = clock.getAsLong();
        int status = store.execute(s -> {
            Entry current = s.get(table, key, now).orElse(null);
            if (current == null) {
                return 404;
            }
            if (conditions.evaluate(current, false) != Preconditions.Outcome.PROCEED) {
                return 412;
            }
            s.delete(table, key);
            return 204;
        });
        return switch (status) {
            case 404 -> throw new HttpException(404, "no such key");
            case 412 -> throw preconditionFailed();
            default -> Response.empty(204);
        };
    }

    /**
     * One page of live keys, from SQLite's key index: a JSON array. When more keys follow, a
     * {@code Link: <...>; rel="next"} header (RFC 8288) gives the next page's URL, whose
     * {@code after} is this page's last key.
     */
    private Response list(Request request, Store store, String table) {
        String prefix = keyParam(request, "prefix");
        String after = keyParam(request, "after");
        int limit = limit(request.param("limit"));
        long now = clock.getAsLong();
        // One key more than asked for tells whether a next page exists without another query.
        List<String> keys = store.read(s -> s.listKeys(table, prefix == null ? "" : prefix, after, limit + 1, now));
        if (keys.size() <= limit) {
            return Response.json(keys);
        }
        List<String> page = keys.subList(0, limit);
        StringBuilder next = new StringBuilder("</kv/").append(table).append('?');
        if (prefix != null && !prefix.isEmpty()) {
            next.append("prefix=").append(URLEncoder.encode(prefix, StandardCharsets.UTF_8)).append('&');
        }
        next.append("after=").append(URLEncoder.encode(page.getLast(), StandardCharsets.UTF_8))
                .append("&limit=").append(limit).append(">; rel=\"next\"");
        return Response.json(page).withHeader("Link", next.toString());
    }

    /** A key-valued query parameter ({@code prefix}, {@code after}), or null when absent. */
    private static String keyParam(Request request, String name) {
        String value = request.param(name);
        if (value != null && value.getBytes(StandardCharsets.UTF_8).length > KeyDecoder.MAX_KEY_BYTES) {
            throw new HttpException(400, name + " exceeds " + KeyDecoder.MAX_KEY_BYTES + " bytes, the longest key");
        }
        return value;
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        long n = wholeNumber(value, 4);
        if (n < 1 || n > MAX_LIMIT) {
            throw new HttpException(400, "limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return (int) n;
    }

    /** The expiration a PUT asks for: now + ttl from {@code ?ttl=} or {@code X-TTL}, else 0 (never). */
    private static long expiresAt(Request request, long now) {
        String param = request.param("ttl");
        String header = request.header("X-TTL");
        if (param != null && header != null) {
            throw new HttpException(400, "give the TTL once: as ?ttl= or as X-TTL, not both");
        }
        String ttl = param != null ? param : header;
        if (ttl == null) {
            return 0;
        }
        long seconds = wholeNumber(ttl, 9);
        if (seconds < 1 || seconds > MAX_TTL_SECONDS) {
            throw new HttpException(400, "ttl must be a whole number of seconds from 1 to " + MAX_TTL_SECONDS);
        }
        return now + seconds;
    }

    /** Decimal digits only (no sign, no spaces), at most maxDigits of them; -1 otherwise. */
    private static long wholeNumber(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }

    private static boolean isRead(Request request) {
        return request.method().equals("GET") || request.method().equals("HEAD");
    }

    private static Response notAllowed(String allow) {
        return Response.text("method not allowed; use " + allow + "\n", 405).withHeader("Allow", allow);
    }

    private static HttpException preconditionFailed() {
        return new HttpException(412, "precondition failed: the entry is not in the state If-Match or If-None-Match asks for");
    }
}
