package dev.freetser.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes response events as bytes (RFC 9112 4, 5, 6 and 7.1). It exists so the connection
 * decides (framing, keep-alive) and this class only spells the decision: status line, the
 * caller's fields minus the ones the connection owns, then the framing and Connection fields.
 * Stateless.
 */
final class Serializer {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] LAST_CHUNK = ascii("0\r\n");
    private static final byte[][] STATUS_LINES = new byte[600][];

    static {
        for (int status = 100; status < 600; status++) {
            String reason = ReasonPhrases.of(status);
            if (!reason.isEmpty()) {
                STATUS_LINES[status] = ascii("HTTP/1.1 " + status + " " + reason + "\r\n");
            }
        }
    }

    /** What the caller's fields say about framing and persistence. */
    record Inspected(long contentLength, boolean close) {
    }

    private Serializer() {
    }

    /**
     * Checks the caller's fields (unless {@code checked} says the caller did) and finds
     * Content-Length (-1 when absent) and "close". The fields that frame the response are parsed
     * and checked here either way.
     *
     * @throws LocalProtocolException for a field that could split the response or confuse its framing
     */
    static Inspected inspect(List<Field> fields, boolean checked) {
        long contentLength = -1;
        boolean transferEncoding = false;
        boolean close = false;
        for (Field f : fields) {
            if (!checked) {
                check(f);
            }
            String name = f.name();
            String value = f.value();
            if (name.equalsIgnoreCase("Content-Length")) {
                long n = Syntax.digits(value, 0, value.length());
                if (n < 0 || contentLength >= 0 && n != contentLength) {
                    throw new LocalProtocolException("response Content-Length is not one decimal number");
                }
                contentLength = n;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                if (!value.equalsIgnoreCase("chunked")) {
                    throw new LocalProtocolException("response Transfer-Encoding other than chunked is not implemented");
                }
                transferEncoding = true;
            } else if (name.equalsIgnoreCase("Connection")) {
                close |= Syntax.listContains(value, "close");
            }
        }
        if (transferEncoding && contentLength >= 0) {
            throw new LocalProtocolException("response has both Transfer-Encoding and Content-Length");
        }
        return new Inspected(contentLength, close);
    }

    /**
     * Status line, fields and the empty line. The caller's Connection and Transfer-Encoding
     * fields are replaced by the connection's own; 1xx and 204 also lose Content-Length
     * (RFC 9110 8.6). {@code connection} is "close", "keep-alive" or null for neither.
     */
    static void writeHead(int status, List<Field> fields, Framing framing, String connection, Output out) {
        byte[] line = STATUS_LINES[status];
        if (line != null) {
            out.write(line);
        } else {
            out.writeLatin1("HTTP/1.1 " + status + " \r\n");
        }
        boolean noLength = status < 200 || status == 204;
        for (Field f : fields) {
            if (!ownedByConnection(f.name(), noLength)) {
                writeField(f, out);
            }
        }
        if (framing == Framing.CHUNKED) {
            out.write(CHUNKED);
        }
        if ("close".equals(connection)) {
            out.write(CLOSE);
        } else if ("keep-alive".equals(connection)) {
            out.write(KEEP_ALIVE);
        }
        out.write(CRLF);
    }

    private static boolean ownedByConnection(String name, boolean noLength) {
        return switch (name.length()) {
            case 10 -> name.equalsIgnoreCase("Connection");
            case 14 -> noLength && name.equalsIgnoreCase("Content-Length");
            case 17 -> name.equalsIgnoreCase("Transfer-Encoding");
            default -> false;
        };
    }

    /** Body bytes as the framing says: a chunk, raw, or nothing. */
    static void writeBody(Framing framing, byte[] data, Output out) {
        switch (framing) {
            case Framing.Chunked c -> {
                if (data.length > 0) {
                    out.writeLatin1(Integer.toHexString(data.length));
                    out.write(CRLF);
                    out.write(data);
                    out.write(CRLF);
                }
            }
            case Framing.Length l -> out.write(data);
            case Framing.UntilClose u -> out.write(data);
            case Framing.Omitted o -> {
            }
        }
    }

    /** The end of a chunked body: last chunk, trailer fields, empty line (RFC 9112 7.1). */
    static void writeLastChunk(List<Field> trailers, Output out) {
        out.write(LAST_CHUNK);
        for (Field f : trailers) {
            check(f);
            writeField(f, out);
        }
        out.write(CRLF);
    }

    /** Response fields are checked here too, whoever built them: no response splitting. */
    static void check(Field f) {
        if (!Syntax.isToken(f.name()) || !Syntax.isFieldValue(f.value())) {
            throw new LocalProtocolException("response field name is not a token or its value holds CR, LF or another control character");
        }
    }

    private static void writeField(Field f, Output out) {
        out.writeLatin1(f.name());
        out.write(':');
        out.write(' ');
        out.writeLatin1(f.value());
        out.write(CRLF);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
