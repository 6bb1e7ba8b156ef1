package dev.freetser.http;

/**
 * Finds the next request head in the receive buffer and parses it once complete. It exists to
 * enforce the head limits while bytes arrive (RFC 9112 2.2, RFC 9110 15.5.15 and 15.5.22), so
 * a request line or head over its limit is refused as soon as the bytes at hand prove it,
 * never after buffering more; what it remembers between calls keeps a slow client linear.
 */
final class HeadReader {
    private final HttpLimits limits;
    /** Bytes of empty lines skipped before this request line; they count toward the head limit. */
    private int skipped;
    /** Index (from the buffer's start) of the SP after the method, or -1 when not seen yet. */
    private int methodEnd = -1;
    private int methodScanned;
    private boolean targetFits;
    private int lastHeadBytes;

    HeadReader(HttpLimits limits) {
        this.limits = limits;
    }

    /**
     * The parsed head, consumed from {@code in}; or null when it is not complete yet (and no
     * limit is broken by what is buffered).
     *
     * @throws RemoteProtocolException for a malformed head (400 and others) or a broken limit
     */
    HeadParser.Parsed read(ReceiveBuffer in) {
        skipEmptyLines(in);
        if (in.isEmpty()) {
            return null;
        }
        int budget = limits.maxHeaderBytes() - skipped;
        int length = in.findHeadEnd(budget);
        if (length < 0) {
            checkPartial(in, budget);
            return null;
        }
        HeadParser.Parsed parsed = HeadParser.parseRequest(in.array(), in.start(), limits);
        in.consume(length);
        lastHeadBytes = skipped + length;
        skipped = 0;
        forgetRequestLine();
        return parsed;
    }

    /** Bytes the last parsed head took, empty lines before it included. */
    int lastHeadBytes() {
        return lastHeadBytes;
    }

    /** RFC 9112 2.2: a server SHOULD ignore at least one empty line before the request line. */
    private void skipEmptyLines(ReceiveBuffer in) {
        while (in.size() >= 2 && in.byteAt(0) == '\r' && in.byteAt(1) == '\n') {
            in.consume(2);
            skipped += 2;
            forgetRequestLine();
            if (skipped >= limits.maxHeaderBytes()) {
                throw headTooLong();
            }
        }
    }

    /** 400, 501, 414 or 431 when the incomplete head already proves it. */
    private void checkPartial(ReceiveBuffer in, int budget) {
        checkPartialMethod(in);
        checkPartialTarget(in);
        if (in.size() >= budget) {
            if (!in.sawLineEnd()) {
                throw requestLineTooLong(in, budget);
            }
            throw headTooLong();
        }
    }

    /**
     * Decides the method as soon as its bytes do: too long (501) or not a token (400). At most
     * {@link HeadParser#MAX_METHOD_LENGTH} + 1 bytes are looked at, each once.
     */
    private void checkPartialMethod(ReceiveBuffer in) {
        for (; methodEnd < 0 && methodScanned < in.size(); methodScanned++) {
            byte b = in.byteAt(methodScanned);
            if (b == ' ') {
                methodEnd = methodScanned;
            } else if (Syntax.is(b, Syntax.TOKEN)) {
                if (methodScanned == HeadParser.MAX_METHOD_LENGTH) {
                    throw HeadParser.methodTooLong();
                }
            } else if (methodScanned == 0 && b == '\r') {
                return; // the CR of an empty line before the request line, its LF still to come
            } else {
                throw new RemoteProtocolException("request line does not start with a method token and one space", 400);
            }
        }
    }

    /**
     * A target is too long once more than the limit of its bytes are here without the SP after
     * it. Each byte is looked at once at most: the method's end is remembered, and the target is
     * scanned only once enough of it is here to decide.
     */
    private void checkPartialTarget(ReceiveBuffer in) {
        int max = limits.maxTargetLength();
        int targetFrom = methodEnd + 1;
        if (targetFits || methodEnd < 0 || in.size() - targetFrom <= max) {
            return;
        }
        for (int i = targetFrom; i <= targetFrom + max; i++) {
            byte b = in.byteAt(i);
            if (b == ' ' || b == '\r') {
                targetFits = true; // or the line is malformed, which the parser will say
                return;
            }
        }
        throw new RemoteProtocolException("request-target exceeds " + max + " bytes", 414);
    }

    /**
     * The request line alone passed the head limit ({@code budget} bytes here): blame the part
     * the limit fell in. Only a head limit below the method limit can fall in the method; past
     * the target, what is left (the version) is malformed.
     */
    private RemoteProtocolException requestLineTooLong(ReceiveBuffer in, int budget) {
        if (methodEnd < 0 || methodEnd >= budget) {
            return HeadParser.methodTooLong();
        }
        for (int i = methodEnd + 1; i < budget; i++) {
            byte b = in.byteAt(i);
            if (b == ' ' || b == '\r') {
                return new RemoteProtocolException("malformed HTTP version", 400);
            }
        }
        return new RemoteProtocolException("request line exceeds the " + limits.maxHeaderBytes()
                + " byte limit of the request head", 414);
    }

    private void forgetRequestLine() {
        methodEnd = -1;
        methodScanned = 0;
        targetFits = false;
    }

    private RemoteProtocolException headTooLong() {
        return new RemoteProtocolException("request head exceeds " + limits.maxHeaderBytes() + " bytes", 431);
    }
}
