package dev.freetser.http;

/**
 * How a message body is delimited (RFC 9112 section 6). Requests are decided by
 * {@link #ofRequest}, where every doubt is an error because two parsers that frame one message
 * differently are how requests get smuggled; responses by {@link #ofResponse}, which trusts
 * our own caller.
 */
sealed interface Framing {
    /** Exactly this many bytes. */
    record Length(long length) implements Framing {
    }

    /** The chunked transfer coding (RFC 9112 section 7.1). */
    record Chunked() implements Framing {
    }

    /** Until the connection closes: only responses to HTTP/1.0 peers without Content-Length. */
    record UntilClose() implements Framing {
    }

    /** The message has no body bytes whatever the fields say: HEAD responses, 1xx, 204, 304. */
    record Omitted() implements Framing {
    }

    Length NONE = new Length(0);
    Chunked CHUNKED = new Chunked();
    UntilClose UNTIL_CLOSE = new UntilClose();
    Omitted OMITTED = new Omitted();

    /**
     * The framing of a request body from its Transfer-Encoding and Content-Length values (all
     * field lines of each joined by commas, or null when absent).
     *
     * @throws RemoteProtocolException 400 when framing is ambiguous or malformed, 501 for a
     *     transfer coding we do not implement, 413 when the declared length passes the limit
     */
    static Framing ofRequest(int minorVersion, String transferEncoding, String contentLength, long maxBodyBytes) {
        if (transferEncoding != null) {
            // RFC 9112 6.1: TE in an HTTP/1.0 message means faulty framing.
            if (minorVersion == 0) {
                throw new RemoteProtocolException("Transfer-Encoding in an HTTP/1.0 request", 400);
            }
            // RFC 9112 6.1 and 6.3 (3): TE with Content-Length is a smuggling attempt; reject it
            // rather than let TE win, since an intermediary might have used Content-Length.
            if (contentLength != null) {
                throw new RemoteProtocolException("both Transfer-Encoding and Content-Length", 400);
            }
            return ofTransferEncoding(transferEncoding);
        }
        if (contentLength != null) {
            // RFC 9112 6.3 (5) and RFC 9110 8.6.
            long length = ofContentLength(contentLength);
            if (length > maxBodyBytes) {
                throw bodyTooLarge(maxBodyBytes);
            }
            return length == 0 ? NONE : new Length(length);
        }
        // RFC 9112 6.3 (6): a request with neither has no body; requests are never close-delimited.
        return NONE;
    }

    /**
     * The 413 for a body over the limit, declared or chunked. It starts with the original's text,
     * "Payload Too Large", which its clients may look for in the error body.
     */
    static RemoteProtocolException bodyTooLarge(long maxBodyBytes) {
        return new RemoteProtocolException("Payload Too Large: request body exceeds " + maxBodyBytes + " bytes", 413);
    }

    /** RFC 9112 6.3 (4) and 7: chunked must be the final coding, once; no other coding is implemented. */
    private static Framing ofTransferEncoding(String value) {
        Syntax.ListCursor codings = new Syntax.ListCursor(value);
        boolean chunkedLast = false;
        boolean chunkedSeen = false;
        boolean other = false;
        while (codings.next()) {
            chunkedLast = codings.is("chunked");
            if (chunkedLast) {
                if (chunkedSeen) {
                    throw new RemoteProtocolException("chunked applied more than once in Transfer-Encoding", 400);
                }
                chunkedSeen = true;
            } else {
                other = true;
            }
        }
        if (!chunkedLast) {
            throw new RemoteProtocolException("Transfer-Encoding does not end with chunked", 400);
        }
        if (other) {
            throw new RemoteProtocolException("transfer coding not implemented (only chunked is)", 501);
        }
        return CHUNKED;
    }

    /** Content-Length = 1*DIGIT; a list of identical values is one value (RFC 9110 8.6). */
    private static long ofContentLength(String value) {
        long length = -1;
        int from = 0;
        while (true) {
            int comma = value.indexOf(',', from);
            int to = comma < 0 ? value.length() : comma;
            long n = Syntax.digits(value, from, to);
            if (n < 0) {
                throw new RemoteProtocolException("Content-Length is not a decimal number below 2^63", 400);
            }
            if (length >= 0 && n != length) {
                throw new RemoteProtocolException("Content-Length values differ", 400);
            }
            length = n;
            if (comma < 0) {
                return length;
            }
            from = comma + 1;
        }
    }

    /**
     * The framing of our response (RFC 9112 6.3 (1) to (3), seen from the sender): no body for
     * HEAD, 1xx, 204 and 304; else the caller's Content-Length; else chunked to an HTTP/1.1
     * peer and close-delimited to an HTTP/1.0 or unknown one ({@code peerMinorVersion} -1).
     */
    static Framing ofResponse(boolean headRequest, int status, long contentLength, int peerMinorVersion) {
        if (headRequest || status < 200 || status == 204 || status == 304) {
            return OMITTED;
        }
        if (contentLength >= 0) {
            return new Length(contentLength);
        }
        return peerMinorVersion == 1 ? CHUNKED : UNTIL_CLOSE;
    }
}
