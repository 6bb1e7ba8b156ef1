package dev.freetser.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns a complete request head (request line, field lines, empty line) into a
 * {@link RequestHead} and the facts the connection needs: body framing, keep-alive and
 * 100-continue. It exists apart from {@link Connection} so the per-byte work sits in a few
 * tight loops over the array, with table lookups and no Strings until a value is kept.
 * {@link ReceiveBuffer} has already checked that every line ends with CRLF, so each line ends
 * at the next CR.
 */
final class HeadParser {
    /** A parsed request head with what the connection decides from it. */
    record Parsed(RequestHead head, Framing framing, boolean keepAlive, boolean expectsContinue) {
    }

    /**
     * The longest method accepted, in bytes. RFC 9112 3 answers a method longer than any the
     * server implements with 501; handlers see every method, so this bound stands in for "any":
     * the longest registered method (UPDATEREDIRECTREF) is 17 bytes, leaving room for extensions.
     */
    static final int MAX_METHOD_LENGTH = 32;

    private final byte[] b;
    private int pos;
    private final int maxFields;
    private final List<Field> fields;
    private String host;
    private int hostCount;
    private String contentLength;
    private String transferEncoding;
    private String connection;
    private String expect;

    private HeadParser(byte[] b, int from, int maxFields) {
        this.b = b;
        this.pos = from;
        this.maxFields = maxFields;
        this.fields = new ArrayList<>(Math.min(maxFields, 16));
    }

    /**
     * Parses the head that starts at {@code b[from]}, known complete by {@link ReceiveBuffer#findHeadEnd}.
     *
     * @throws RemoteProtocolException with the status that answers the fault
     */
    static Parsed parseRequest(byte[] b, int from, HttpLimits limits) {
        HeadParser p = new HeadParser(b, from, limits.maxHeaderCount());
        String method = p.method();
        String target = p.target(limits.maxTargetLength());
        int minor = p.version();
        RequestTarget.check(method, target);
        p.fieldLines();
        return p.finish(method, target, minor, limits.maxBodyBytes());
    }

    /**
     * Parses field lines that end with an empty line (a trailer section, RFC 9112 7.1.2).
     *
     * @throws RemoteProtocolException 400 for a malformed line, 431 past {@code maxFields}
     */
    static List<Field> parseFields(byte[] b, int from, int maxFields) {
        HeadParser p = new HeadParser(b, from, maxFields);
        p.fieldLines();
        return Collections.unmodifiableList(p.fields);
    }

    /** method = token, then exactly one SP (RFC 9112 3). */
    private String method() {
        int from = pos;
        while (Syntax.is(b[pos], Syntax.TOKEN)) {
            pos++;
        }
        if (pos - from > MAX_METHOD_LENGTH) {
            throw methodTooLong();
        }
        if (pos == from || b[pos] != ' ') {
            throw new RemoteProtocolException("request line does not start with a method token and one space", 400);
        }
        String method = Names.method(b, from, pos - from);
        pos++;
        return method;
    }

    /** The 501 for a method token longer than {@link #MAX_METHOD_LENGTH}: a long method is not a long target (414). */
    static RemoteProtocolException methodTooLong() {
        return new RemoteProtocolException("method longer than any implemented (" + MAX_METHOD_LENGTH + " bytes)", 501);
    }

    /** request-target: visible ASCII only, then exactly one SP (RFC 9112 3.2). */
    private String target(int maxLength) {
        int from = pos;
        while (Syntax.is(b[pos], Syntax.TARGET)) {
            pos++;
        }
        if (pos - from > maxLength) {
            throw new RemoteProtocolException("request-target exceeds " + maxLength + " bytes", 414);
        }
        if (pos == from || b[pos] != ' ') {
            throw new RemoteProtocolException("request-target is empty or holds a byte outside visible ASCII", 400);
        }
        String target = new String(b, from, pos - from, StandardCharsets.ISO_8859_1);
        pos++;
        return target;
    }

    /** HTTP-version = "HTTP/" DIGIT "." DIGIT, then CRLF (RFC 9112 2.3; RFC 9110 2.5 for 1.x). */
    private int version() {
        int p = pos;
        if (b[p] != 'H' || b[p + 1] != 'T' || b[p + 2] != 'T' || b[p + 3] != 'P' || b[p + 4] != '/'
                || !Syntax.isDigit(b[p + 5]) || b[p + 6] != '.' || !Syntax.isDigit(b[p + 7]) || b[p + 8] != '\r') {
            throw new RemoteProtocolException("malformed HTTP version", 400);
        }
        pos = p + 10;
        int major = b[p + 5] - '0';
        int minor = b[p + 7] - '0';
        if (major != 1) {
            throw new RemoteProtocolException("HTTP version not supported (only 1.x)", 505);
        }
        return minor == 0 ? 0 : 1;
    }

    /** field-line = field-name ":" OWS field-value OWS (RFC 9112 5), up to the empty line. */
    private void fieldLines() {
        while (b[pos] != '\r') {
            if (fields.size() == maxFields) {
                throw new RemoteProtocolException("more than " + maxFields + " header fields", 431);
            }
            fields.add(fieldLine());
        }
        pos += 2;
    }

    private Field fieldLine() {
        int nameFrom = pos;
        while (Syntax.is(b[pos], Syntax.TOKEN)) {
            pos++;
        }
        if (b[pos] != ':' || pos == nameFrom) {
            throw fieldLineError(nameFrom);
        }
        int nameLength = pos - nameFrom;
        pos++;
        while (Syntax.isOws(b[pos])) {
            pos++;
        }
        int valueFrom = pos;
        int valueTo = pos;
        for (byte c; (c = b[pos]) != '\r'; pos++) {
            if (!Syntax.is(c, Syntax.VALUE)) {
                throw new RemoteProtocolException("header field value holds a control character", 400);
            }
            if (!Syntax.isOws(c)) {
                valueTo = pos + 1;
            }
        }
        pos += 2;
        String name = new String(b, nameFrom, nameLength, StandardCharsets.ISO_8859_1);
        String value = new String(b, valueFrom, valueTo - valueFrom, StandardCharsets.ISO_8859_1);
        remember(nameFrom, nameLength, value);
        return new Field(name, value);
    }

    private RemoteProtocolException fieldLineError(int lineFrom) {
        if (pos == lineFrom && Syntax.isOws(b[pos])) {
            // RFC 9112 5.2: obs-fold; and 2.2: whitespace before the first field line.
            return new RemoteProtocolException("header line starts with whitespace (obsolete line folding)", 400);
        }
        if (Syntax.isOws(b[pos])) {
            // RFC 9112 5.1: MUST reject whitespace between field name and colon.
            return new RemoteProtocolException("whitespace between header field name and colon", 400);
        }
        return new RemoteProtocolException("header line is not a token name, a colon and a value", 400);
    }

    /** Keeps the values of the fields that frame the message or steer the connection. */
    private void remember(int nameFrom, int nameLength, String value) {
        switch (nameLength) {
            case 4 -> {
                if (Names.equal(b, nameFrom, Names.HOST)) {
                    host = value;
                    hostCount++;
                }
            }
            case 6 -> {
                if (Names.equal(b, nameFrom, Names.EXPECT)) {
                    expect = join(expect, value);
                }
            }
            case 10 -> {
                if (Names.equal(b, nameFrom, Names.CONNECTION)) {
                    connection = join(connection, value);
                }
            }
            case 14 -> {
                if (Names.equal(b, nameFrom, Names.CONTENT_LENGTH)) {
                    contentLength = join(contentLength, value);
                }
            }
            case 17 -> {
                if (Names.equal(b, nameFrom, Names.TRANSFER_ENCODING)) {
                    transferEncoding = join(transferEncoding, value);
                }
            }
            default -> {
            }
        }
    }

    /** Several field lines of a list field are one list (RFC 9110 5.3). */
    private static String join(String earlier, String value) {
        return earlier == null ? value : earlier + ", " + value;
    }

    private Parsed finish(String method, String target, int minor, long maxBodyBytes) {
        // RFC 9112 3.2: an HTTP/1.1 request needs exactly one Host field, and it must be valid.
        if (hostCount > 1) {
            throw new RemoteProtocolException("more than one Host field", 400);
        }
        if (hostCount == 0 && minor == 1) {
            throw new RemoteProtocolException("HTTP/1.1 request without Host", 400);
        }
        if (host != null && !Syntax.isHost(host)) {
            throw new RemoteProtocolException("invalid Host value", 400);
        }
        // RFC 9112 3.3 and RFC 9110 4.2.1: a target without an authority takes it from Host, and an
        // http URI with an empty host is invalid (an absolute-form target's own host wins, 3.2.2).
        if (host != null && Syntax.isEmptyHost(host) && !RequestTarget.hasAuthority(target)) {
            throw new RemoteProtocolException("empty Host for a target without an authority", 400);
        }
        Framing framing = Framing.ofRequest(minor, transferEncoding, contentLength, maxBodyBytes);
        // RFC 9112 9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive".
        boolean keepAlive = minor == 1
                ? !Syntax.listContains(connection, "close")
                : Syntax.listContains(connection, "keep-alive") && !Syntax.listContains(connection, "close");
        boolean expectsContinue = expectsContinue(minor) && framing != Framing.NONE;
        return new Parsed(new RequestHead(method, target, minor, Collections.unmodifiableList(fields)), framing, keepAlive, expectsContinue);
    }

    /** RFC 9110 10.1.1: 100-continue is the only expectation; a 1.0 request's is ignored. */
    private boolean expectsContinue(int minor) {
        if (expect == null) {
            return false;
        }
        Syntax.ListCursor c = new Syntax.ListCursor(expect);
        boolean found = false;
        while (c.next()) {
            if (!c.is("100-continue")) {
                throw new RemoteProtocolException("unsupported expectation (only 100-continue is)", 417);
            }
            found = true;
        }
        return found && minor == 1;
    }
}
