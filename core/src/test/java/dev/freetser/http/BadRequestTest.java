package dev.freetser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input, each case with the exact status it must get, fed whole and one byte at a time.
 * A fault in the head must never let a {@link RequestHead} out first; a fault in the body comes
 * after it. No error message may echo request bytes (the cases hide "s3cr3t" in some).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BadRequestTest {
    /** Small limits keep the over-limit cases short. */
    static final HttpLimits SMALL = new HttpLimits(200, 40, 4, 100);

    enum Where { HEAD, BODY }

    record Case(String name, String raw, int status, Where where, boolean eof) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case head(String name, String raw, int status) {
        return new Case(name, raw, status, Where.HEAD, false);
    }

    private static Case body(String name, String raw, int status) {
        return new Case(name, raw, status, Where.BODY, false);
    }

    private static Case eof(String name, String raw, Where where) {
        return new Case(name, raw, 400, where, true);
    }

    private static String req(String fields) {
        return "GET / HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n";
    }

    private static String post(String fields, String body) {
        return "POST / HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n" + body;
    }

    private static final String CHUNKED = "Transfer-Encoding: chunked\r\n";

    static Stream<Case> cases() {
        return Stream.of(
                // Request line (RFC 9112 3): method SP request-target SP HTTP-version CRLF.
                head("lowercase version", "GET / http/1.1\r\nHost: h\r\n\r\n", 400),
                head("two-digit minor version", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", 400),
                head("version without minor", "GET / HTTP/1\r\nHost: h\r\n\r\n", 400),
                head("junk after version", "GET / HTTP/1.1x\r\nHost: h\r\n\r\n", 400),
                head("HTTP/2.0 (RFC 9110 15.6.6)", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
                head("HTTP/0.9", "GET / HTTP/0.9\r\nHost: h\r\n\r\n", 505),
                head("HTTP/3.0", "GET / HTTP/3.0\r\n\r\n", 505),
                head("two spaces after method", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("two spaces before version", "GET /  HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("space after version", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400),
                head("tab as separator", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("no target", "GET HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("space before method", " GET / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("method not a token", "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("method not a token, rest unsent", "G(T", 400),
                head("method with a CR", "GET\r\nHost: h\r\n\r\n", 400),
                // RFC 9112 3: a method longer than any implemented is 501, not 414 (about the target).
                head("method over 32 bytes", "M".repeat(33) + " / HTTP/1.1\r\nHost: h\r\n\r\n", 501),
                head("method over 32 bytes, rest unsent", "M".repeat(33), 501),
                head("method over 32 bytes, then not a token", "M".repeat(33) + "(", 501),
                head("target byte >= 0x80", "GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("target holds DEL", "GET /a\u007fb HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("target holds a CTL", "GET /a\u0001b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("request line of only a target", "/ HTTP/1.1\r\n\r\n", 400),
                // Target forms (RFC 9112 3.2).
                head("asterisk-form with GET", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("authority-form with GET", "GET example.com:80 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("CONNECT is not implemented", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501),
                head("absolute-form with another scheme", "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("absolute-form with empty host", "GET http:///p HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("absolute-form with only a port (RFC 9110 4.2.1)", "GET http://:80/p HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("absolute-form with userinfo", "GET http://s3cr3t@h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("absolute-form still needs Host in 1.1", "GET http://h/ HTTP/1.1\r\n\r\n", 400),
                // Line endings are CRLF, strictly (RFC 9112 2.2).
                head("bare LF after request line", "GET / HTTP/1.1\nHost: h\r\n\r\n", 400),
                head("bare CR after request line", "GET / HTTP/1.1\rHost: h\r\n\r\n", 400),
                head("bare LF after a field", "GET / HTTP/1.1\r\nHost: h\n\r\n", 400),
                head("bare LF ends the head", "GET / HTTP/1.1\r\nHost: h\r\n\n", 400),
                head("LF LF only", "GET / HTTP/1.1\n\n", 400),
                head("bare LF before the request line", "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                head("CR inside a value", req("X-Token: s3cr3t\rX: y\r\n"), 400),
                head("LF inside a value", req("X-Token: s3cr3t\nX: y\r\n"), 400),
                // Field lines (RFC 9112 5).
                head("space before colon (5.1)", req("Authorization : Bearer s3cr3t\r\n"), 400),
                head("tab before colon", req("X\t: y\r\n"), 400),
                head("obs-fold (5.2)", req("X: a\r\n  b\r\n"), 400),
                head("whitespace before first field (2.2)", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400),
                head("no colon", req("Authorization Bearer s3cr3t\r\n"), 400),
                head("empty name", req(": v\r\n"), 400),
                head("name not a token", req("X(y): z\r\n"), 400),
                head("NUL in value", req("X: a\u0000b\r\n"), 400),
                head("CTL in value", req("X: a\u0001b\r\n"), 400),
                head("DEL in value", req("X: a\u007f\r\n"), 400),
                // Host (RFC 9112 3.2, RFC 9110 7.2).
                head("missing Host in 1.1", "GET / HTTP/1.1\r\nX: y\r\n\r\n", 400),
                head("two Host fields", req("Host: h\r\n"), 400),
                head("two Host fields in 1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                head("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
                head("Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
                head("Host with userinfo", "GET / HTTP/1.1\r\nHost: s3cr3t@h\r\n\r\n", 400),
                head("Host port not digits", "GET / HTTP/1.1\r\nHost: h:8x\r\n\r\n", 400),
                head("Host with two ports", "GET / HTTP/1.1\r\nHost: h:80:90\r\n\r\n", 400),
                head("Host unclosed IP literal", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
                head("Host bad IPv6", "GET / HTTP/1.1\r\nHost: [::g]\r\n\r\n", 400),
                head("Host IPv6 with nine groups", "GET / HTTP/1.1\r\nHost: [1:2:3:4:5:6:7:8:9]\r\n\r\n", 400),
                head("Host bad percent escape", "GET / HTTP/1.1\r\nHost: a%4\r\n\r\n", 400),
                head("invalid Host in 1.0", "GET / HTTP/1.0\r\nHost: a{b\r\n\r\n", 400),
                head("empty Host with origin-form", "GET / HTTP/1.1\r\nHost: \r\n\r\n", 400),
                head("empty Host without OWS", "GET /p?q HTTP/1.1\r\nHost:\r\n\r\n", 400),
                head("empty Host in 1.0", "GET / HTTP/1.0\r\nHost: \r\n\r\n", 400),
                head("empty Host with asterisk-form", "OPTIONS * HTTP/1.1\r\nHost: \r\n\r\n", 400),
                head("Host of only a port", "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", 400),
                // Body framing (RFC 9112 6.1-6.3): request smuggling.
                head("Content-Length and Transfer-Encoding (CL.TE)", post("Content-Length: 4\r\n" + CHUNKED, ""), 400),
                head("Transfer-Encoding and Content-Length (TE.CL)", post(CHUNKED + "Content-Length: 4\r\n", ""), 400),
                head("differing Content-Length fields", post("Content-Length: 4\r\nContent-Length: 5\r\n", "abcd"), 400),
                head("differing Content-Length list", post("Content-Length: 4, 5\r\n", "abcd"), 400),
                head("Content-Length with sign", post("Content-Length: +4\r\n", "abcd"), 400),
                head("negative Content-Length", post("Content-Length: -1\r\n", ""), 400),
                head("hex Content-Length", post("Content-Length: 0x4\r\n", "abcd"), 400),
                head("empty Content-Length", post("Content-Length: \r\n", ""), 400),
                head("Content-Length with inner space", post("Content-Length: 1 2\r\n", ""), 400),
                head("Content-Length overflow", post("Content-Length: 99999999999999999999\r\n", ""), 400),
                head("Content-Length list with empty element", post("Content-Length: 4,\r\n", "abcd"), 400),
                head("chunked then gzip", post("Transfer-Encoding: chunked, gzip\r\n", ""), 400),
                head("xchunked", post("Transfer-Encoding: xchunked\r\n", ""), 400),
                head("chunked twice", post("Transfer-Encoding: chunked, chunked\r\n", ""), 400),
                head("chunked twice in two fields", post(CHUNKED + CHUNKED, ""), 400),
                head("chunked then gzip in two fields", post(CHUNKED + "Transfer-Encoding: gzip\r\n", ""), 400),
                head("only gzip", post("Transfer-Encoding: gzip\r\n", ""), 400),
                head("chunked with a parameter", post("Transfer-Encoding: chunked;q=1\r\n", ""), 400),
                head("empty Transfer-Encoding", post("Transfer-Encoding: \r\n", ""), 400),
                head("gzip then chunked (6.1: 501)", post("Transfer-Encoding: gzip, chunked\r\n", ""), 501),
                head("deflate then chunked", post("Transfer-Encoding: deflate,chunked\r\n", ""), 501),
                head("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\n" + CHUNKED + "\r\n0\r\n\r\n", 400),
                head("declared body over the limit (413)", post("Content-Length: 101\r\n", ""), 413),
                // Expectations (RFC 9110 10.1.1).
                head("unknown expectation", post("Expect: s3cr3t\r\nContent-Length: 1\r\n", "a"), 417),
                head("100-continue and another", post("Expect: 100-continue, x\r\nContent-Length: 1\r\n", "a"), 417),
                // Limits.
                head("header section over the limit", req("X: " + "a".repeat(200) + "\r\n"), 431),
                head("more fields than the limit", req("A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n"), 431),
                head("empty lines over the head limit", "\r\n".repeat(101) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 431),
                head("request line over the head limit in the method", "G".repeat(210) + " / HTTP/1.1\r\nHost: h\r\n\r\n", 501),
                head("request line over the head limit after the target", "GET / HTTP/1.1" + "x".repeat(200), 400),
                head("target over the limit", "GET /" + "a".repeat(40) + " HTTP/1.1\r\nHost: h\r\n\r\n", 414),
                head("target over the limit, rest unsent", "GET /" + "a".repeat(40), 414),
                head("target over the limit, head unfinished", "GET /" + "a".repeat(45) + " HTTP/1.1\r\nHost: h\r\n", 414),
                head("request line without version", "GET /" + "a".repeat(30) + "\r\nHost: h\r\nX: " + "b".repeat(40) + "\r\n\r\n", 400),
                head("head over the limit, rest unsent", "GET / HTTP/1.1\r\nHost: h\r\nX: " + "a".repeat(200), 431),
                // Chunked bodies (RFC 9112 7.1).
                body("chunk size not hex", post(CHUNKED, "zz\r\n"), 400),
                body("chunk size empty", post(CHUNKED, "\r\n"), 400),
                body("chunk size negative", post(CHUNKED, "-1\r\n"), 400),
                body("chunk size with 0x", post(CHUNKED, "0x5\r\nhello\r\n0\r\n\r\n"), 400),
                body("chunk size with leading space", post(CHUNKED, " 5\r\nhello\r\n0\r\n\r\n"), 400),
                body("chunk size with trailing space", post(CHUNKED, "5 \r\nhello\r\n0\r\n\r\n"), 400),
                body("chunk size overflows", post(CHUNKED, "10000000000000000\r\n"), 400),
                body("chunk size over the limit (413)", post(CHUNKED, "65\r\n"), 413),
                body("chunks together over the limit (413)", post(CHUNKED, "32\r\n" + "a".repeat(50) + "\r\n33\r\n"), 413),
                body("chunk extension without name", post(CHUNKED, "5;\r\nhello\r\n0\r\n\r\n"), 400),
                body("chunk extension empty value", post(CHUNKED, "5;a=\r\nhello\r\n0\r\n\r\n"), 400),
                body("chunk extension unterminated quote", post(CHUNKED, "5;a=\"x\r\nhello\r\n0\r\n\r\n"), 400),
                body("chunk extension value with space", post(CHUNKED, "5;a=b c\r\nhello\r\n0\r\n\r\n"), 400),
                body("chunk extension trailing space", post(CHUNKED, "5;a \r\nhello\r\n0\r\n\r\n"), 400),
                body("chunk size line too long", post(CHUNKED, "5;a=" + "b".repeat(5000) + "\r\n"), 400),
                body("bare LF after chunk size", post(CHUNKED, "5\nhello\r\n0\r\n\r\n"), 400),
                body("bare LF after chunk size, rest unsent", post(CHUNKED, "5\n"), 400),
                body("bare LF after chunk extension, rest unsent", post(CHUNKED, "5;a=b\n"), 400),
                body("bare LF after last-chunk size, rest unsent", post(CHUNKED, "0\n"), 400),
                body("chunk data followed by LF, rest unsent", post(CHUNKED, "5\r\nhello\n"), 400),
                body("chunk data not followed by CRLF", post(CHUNKED, "5\r\nhelloX\r\n0\r\n\r\n"), 400),
                body("chunk data followed by LF", post(CHUNKED, "5\r\nhello\n0\r\n\r\n"), 400),
                body("chunk data followed by CR only", post(CHUNKED, "5\r\nhello\rX"), 400),
                body("trailer with space before colon", post(CHUNKED, "0\r\nX : y\r\n\r\n"), 400),
                body("trailer obs-fold", post(CHUNKED, "0\r\nX: y\r\n z\r\n\r\n"), 400),
                body("trailer NUL", post(CHUNKED, "0\r\nX: \u0000\r\n\r\n"), 400),
                body("trailer with bare LF", post(CHUNKED, "0\r\nX: y\n\r\n"), 400),
                body("trailer with bare LF, rest unsent", post(CHUNKED, "0\r\nX: y\n"), 400),
                body("empty trailer section ends with bare LF", post(CHUNKED, "0\r\n\n"), 400),
                body("trailer section ends with bare LF", post(CHUNKED, "0\r\nX: y\r\n\n"), 400),
                body("too many trailers (431)", post(CHUNKED, "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), 431),
                body("trailers over the byte limit (431)", post(CHUNKED, "0\r\nA: " + "x".repeat(200) + "\r\n\r\n"), 431),
                // The peer closed mid-message.
                eof("closed in the request line", "GET / HT", Where.HEAD),
                eof("closed in the head", "GET / HTTP/1.1\r\nHost: h\r\n", Where.HEAD),
                eof("closed after one CR", "\r", Where.HEAD),
                eof("closed in a Content-Length body", post("Content-Length: 5\r\n", "abc"), Where.BODY),
                eof("closed in a chunk", post(CHUNKED, "5\r\nabc"), Where.BODY),
                eof("closed before the last chunk", post(CHUNKED, "3\r\nabc\r\n"), Where.BODY),
                eof("closed in the trailers", post(CHUNKED, "0\r\nX: y\r\n"), Where.BODY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void whole(Case c) {
        check(c, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneByteAtATime(Case c) {
        check(c, true);
    }

    /** A head limit below the method limit: the request line passes it inside the method. */
    @ParameterizedTest(name = "byte by byte: {0}")
    @ValueSource(booleans = {false, true})
    void methodPastAHeadLimitShorterThanTheMethodLimitIs501(boolean byteByByte) {
        HttpLimits tiny = new HttpLimits(20, 10, 4, 100);
        check(head("method past a 20-byte head", "M".repeat(25) + " / HTTP/1.1\r\n\r\n", 501), byteByByte, tiny);
    }

    private static void check(Case c, boolean byteByByte) {
        check(c, byteByByte, SMALL);
    }

    private static void check(Case c, boolean byteByByte, HttpLimits limits) {
        Connection conn = new Connection(limits);
        byte[] raw = Exchange.bytes(c.raw());
        List<Event> events = new ArrayList<>();
        try {
            if (byteByByte) {
                for (int i = 0; i < raw.length; i++) {
                    conn.receiveData(raw, i, 1);
                    Exchange.drain(conn, events);
                }
            } else {
                conn.receiveData(raw, 0, raw.length);
                Exchange.drain(conn, events);
            }
            if (c.eof()) {
                conn.receiveEof();
                Exchange.drain(conn, events);
            }
            fail("no error; events " + events);
        } catch (RemoteProtocolException e) {
            assertEquals(c.status(), e.status(), e.getMessage());
            if (e.status() == 413) {
                // The original's text, which its clients may look for in the error body.
                assertTrue(e.getMessage().startsWith("Payload Too Large"), e.getMessage());
            }
            assertFalse(e.getMessage().contains("s3cr3t"), "message echoes the request: " + e.getMessage());
            boolean sawHead = !events.isEmpty() && events.getFirst() instanceof RequestHead;
            assertEquals(c.where() == Where.BODY, sawHead, "RequestHead before the error: " + events);
            assertEquals(State.ERROR, conn.theirState());
            assertTrue(conn.ourState() == State.IDLE || conn.ourState() == State.SEND_RESPONSE,
                    "an error response can still be sent");
        }
    }
}
