package dev.freetser.http;

/**
 * The parser's limits; each is enforced before bytes are buffered beyond it.
 *
 * @param maxHeaderBytes request line plus header section (431; if the request line alone passes it,
 *     414 when it does so in the target, 501 in the method, 400 after the target)
 * @param maxTargetLength request-target length (414)
 * @param maxHeaderCount header fields per request (431)
 * @param maxBodyBytes body length, declared or chunked (413)
 */
public record HttpLimits(int maxHeaderBytes, int maxTargetLength, int maxHeaderCount, long maxBodyBytes) {

    /** @throws IllegalArgumentException unless every limit is positive */
    public HttpLimits {
        if (maxHeaderBytes <= 0 || maxTargetLength <= 0 || maxHeaderCount <= 0 || maxBodyBytes <= 0) {
            throw new IllegalArgumentException("HTTP limits must be positive: " + maxHeaderBytes + ", "
                    + maxTargetLength + ", " + maxHeaderCount + ", " + maxBodyBytes);
        }
    }

    /** A 16 KiB head and a 2 MiB body (the server's defaults, {@code ServerConfig.Limits}), an 8 KiB target, 100 fields. */
    public static HttpLimits defaults() {
        return new HttpLimits(16 * 1024, 8 * 1024, 100, 2 * 1024 * 1024);
    }
}
