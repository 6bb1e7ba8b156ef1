package dev.freetser.http;

/**
 * The parser's limits; each is enforced before bytes are buffered beyond it.
 *
 * @param maxHeaderBytes request line plus header section (431; 414 if the request line alone passes it)
 * @param maxTargetLength request-target length (414)
 * @param maxHeaderCount header fields per request (431)
 * @param maxBodyBytes body length, declared or chunked (413)
 */
public record HttpLimits(int maxHeaderBytes, int maxTargetLength, int maxHeaderCount, long maxBodyBytes) {
}
