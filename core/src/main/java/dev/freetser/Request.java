package dev.freetser;

import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One whole HTTP request as the server hands it to a {@link Handler}.
 *
 * @param method the method token, case as sent ({@code GET}, {@code POST}, ...)
 * @param target the request-target exactly as sent
 * @param path the path of the target, not percent-decoded ({@code *} for an asterisk-form target)
 * @param query the raw query after {@code ?}, or {@code ""} when there is none
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields in the order received
 * @param body the body bytes, never null; do not mutate
 * @param remoteAddress the peer's address (an {@code InetSocketAddress} or a Unix socket address)
 */
public record Request(String method, String target, String path, String query, String version,
                      Headers headers, byte[] body, SocketAddress remoteAddress) {

    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** The first value of a header, or {@code null}; the name is case-insensitive. */
    public String header(String name) {
        return headers.get(name);
    }

    /**
     * The query parameters, decoded as {@code application/x-www-form-urlencoded} (UTF-8), in order.
     *
     * @throws HttpException 400 when the query holds a malformed percent escape
     */
    public Map<String, List<String>> params() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return params;
    }

    /** The first value of a query parameter, or {@code null}. */
    public String param(String name) {
        List<String> values = params().get(name);
        return values == null ? null : values.getFirst();
    }

    /** The body decoded with the charset of Content-Type, UTF-8 when it names none. */
    public String text() {
        return new String(body, charset());
    }

    /**
     * The body parsed as JSON into the given type (a record, a {@code Map}, a {@code List}, ...).
     *
     * @throws HttpException 400 when the body is not valid JSON for that type
     */
    public <T> T json(Class<T> type) {
        try {
            return Json.JSON.beanFrom(type, body);
        } catch (RuntimeException e) {
            throw new HttpException(400, "request body is not valid JSON for " + type.getSimpleName());
        }
    }

    private Charset charset() {
        String type = headers.get("Content-Type");
        if (type != null) {
            for (String param : type.split(";")) {
                String p = param.strip();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    String name = p.substring(8).replace("\"", "").strip();
                    try {
                        return Charset.forName(name);
                    } catch (RuntimeException e) {
                        throw new HttpException(415, "unsupported charset in Content-Type");
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpException(400, "malformed percent-encoding in query");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Request r && method.equals(r.method) && target.equals(r.target)
                && version.equals(r.version) && headers.equals(r.headers)
                && Arrays.equals(body, r.body) && Objects.equals(remoteAddress, r.remoteAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, target, version, headers, Arrays.hashCode(body), remoteAddress);
    }

    @Override
    public String toString() {
        return "Request[" + method + " " + target + " " + version + ", " + headers.size()
                + " headers, " + body.length + " body bytes, from " + remoteAddress + "]";
    }
}
