package dev.freetser.http;

import java.util.List;

/**
 * A chunked body (RFC 9112 7.1): size lines, data each followed by CRLF, a last chunk of size
 * zero, then trailer fields and an empty line. Chunk extensions are checked and ignored.
 */
final class ChunkedReader implements BodyReader {
    /** A chunk-size line longer than this (with its extensions) is refused. */
    static final int MAX_SIZE_LINE = 4096;

    private enum Part { SIZE_LINE, DATA, DATA_CRLF, TRAILERS }

    private final long maxBodyBytes;
    private final int maxTrailerBytes;
    private final int maxTrailerCount;
    private Part part = Part.SIZE_LINE;
    private long remaining;
    private long total;

    /** The trailer section gets what the head left of the header limits. */
    ChunkedReader(long maxBodyBytes, int maxTrailerBytes, int maxTrailerCount) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxTrailerBytes = maxTrailerBytes;
        this.maxTrailerCount = maxTrailerCount;
    }

    @Override
    public Next read(ReceiveBuffer in, boolean eof) {
        while (true) {
            Next next = switch (part) {
                case SIZE_LINE -> sizeLine(in);
                case DATA -> data(in);
                case DATA_CRLF -> dataCrlf(in);
                case TRAILERS -> trailers(in);
            };
            if (next != null) {
                if (next == Signal.NEED_DATA && eof) {
                    throw BodyReader.incomplete();
                }
                return next;
            }
        }
    }

    /** chunk-size [ chunk-ext ] CRLF; null when it moved on to the data or trailers. */
    private Next sizeLine(ReceiveBuffer in) {
        int length = in.findLineEnd(MAX_SIZE_LINE);
        if (length < 0) {
            if (in.size() >= MAX_SIZE_LINE) {
                throw new RemoteProtocolException("chunk-size line exceeds " + MAX_SIZE_LINE + " bytes", 400);
            }
            return Signal.NEED_DATA;
        }
        long size = parseSizeLine(in.array(), in.start(), in.start() + length - 2);
        in.consume(length);
        if (size == 0) {
            part = Part.TRAILERS;
            return null;
        }
        if (size > maxBodyBytes - total) {
            throw Framing.bodyTooLarge(maxBodyBytes);
        }
        total += size;
        remaining = size;
        part = Part.DATA;
        return null;
    }

    private Next data(ReceiveBuffer in) {
        if (in.isEmpty()) {
            return Signal.NEED_DATA;
        }
        int n = (int) Math.min(remaining, in.size());
        remaining -= n;
        if (remaining == 0) {
            part = Part.DATA_CRLF;
        }
        return new BodyData(in.take(n));
    }

    /** Chunk data ends with exactly CRLF. */
    private Next dataCrlf(ReceiveBuffer in) {
        if (in.size() > 0 && in.byteAt(0) != '\r' || in.size() > 1 && in.byteAt(1) != '\n') {
            throw new RemoteProtocolException("chunk data not followed by CRLF", 400);
        }
        if (in.size() < 2) {
            return Signal.NEED_DATA;
        }
        in.consume(2);
        part = Part.SIZE_LINE;
        return null;
    }

    /** trailer-section CRLF (RFC 9112 7.1.2), usually just the CRLF. */
    private Next trailers(ReceiveBuffer in) {
        // A lone LF here is never the start of CRLF or of a field: refuse it now, not after
        // waiting for a byte that a client which sent "0\r\n\n" will never send.
        if (!in.isEmpty() && in.byteAt(0) == '\n') {
            throw new RemoteProtocolException("trailer section does not end with CRLF (bare LF)", 400);
        }
        if (in.size() < 2) {
            return Signal.NEED_DATA;
        }
        if (in.byteAt(0) == '\r' && in.byteAt(1) == '\n') {
            in.consume(2);
            return EndOfMessage.EMPTY;
        }
        int length = in.findHeadEnd(maxTrailerBytes);
        if (length < 0) {
            if (in.size() >= maxTrailerBytes) {
                throw new RemoteProtocolException("trailer section exceeds the " + maxTrailerBytes
                        + " bytes left of the header limit", 431);
            }
            return Signal.NEED_DATA;
        }
        List<Field> trailers = HeadParser.parseFields(in.array(), in.start(), maxTrailerCount);
        in.consume(length);
        return new EndOfMessage(trailers);
    }

    /**
     * chunk-size = 1*HEXDIG, then chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ) with
     * value a token or quoted-string (RFC 9112 7.1.1); {@code to} is the index of the CR.
     */
    private static long parseSizeLine(byte[] b, int from, int to) {
        long size = 0;
        int pos = from;
        for (int digit; pos < to && (digit = Character.digit(b[pos], 16)) >= 0; pos++) {
            if (size > (Long.MAX_VALUE >> 4)) {
                throw new RemoteProtocolException("chunk size is too large", 400);
            }
            size = size << 4 | digit;
        }
        if (pos == from) {
            throw new RemoteProtocolException("chunk size is not hexadecimal", 400);
        }
        while (pos < to) {
            pos = skipOws(b, pos, to);
            if (pos == to || b[pos] != ';') {
                throw new RemoteProtocolException("malformed chunk extension", 400);
            }
            pos = token(b, skipOws(b, pos + 1, to), to);
            int afterName = pos;
            pos = skipOws(b, pos, to);
            if (pos < to && b[pos] == '=') {
                pos = skipOws(b, pos + 1, to);
                pos = pos < to && b[pos] == '"' ? quotedString(b, pos, to) : token(b, pos, to);
            } else {
                pos = afterName;
            }
        }
        return size;
    }

    private static int skipOws(byte[] b, int pos, int to) {
        while (pos < to && Syntax.isOws(b[pos])) {
            pos++;
        }
        return pos;
    }

    /** The index after a non-empty token starting at {@code pos}. */
    private static int token(byte[] b, int pos, int to) {
        int from = pos;
        while (pos < to && Syntax.is(b[pos], Syntax.TOKEN)) {
            pos++;
        }
        if (pos == from) {
            throw new RemoteProtocolException("malformed chunk extension", 400);
        }
        return pos;
    }

    /** The index after a quoted-string (RFC 9110 5.6.4) whose DQUOTE is at {@code pos}. */
    private static int quotedString(byte[] b, int pos, int to) {
        for (pos++; pos < to; pos++) {
            byte c = b[pos];
            if (c == '"') {
                return pos + 1;
            }
            if (c == '\\') {
                pos++;
                if (pos == to || !Syntax.is(b[pos], Syntax.VALUE)) {
                    break;
                }
            } else if (!Syntax.is(c, Syntax.VALUE)) {
                break;
            }
        }
        throw new RemoteProtocolException("malformed quoted string in chunk extension", 400);
    }
}
