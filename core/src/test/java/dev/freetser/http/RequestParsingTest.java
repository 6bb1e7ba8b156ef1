package dev.freetser.http;

import static dev.freetser.http.Exchange.assertParses;
import static dev.freetser.http.Exchange.data;
import static dev.freetser.http.Exchange.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Valid requests, each fed whole, byte by byte, split at every offset and with a next request behind it. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RequestParsingTest {

    private static RequestHead get(String target, String... fields) {
        return new RequestHead("GET", target, 1, fields(fields));
    }

    @Test
    void getWithoutBody() {
        assertParses("""
                GET / HTTP/1.1\r
                Host: example.com\r
                \r
                """, List.of(get("/", "Host", "example.com"), EndOfMessage.EMPTY));
    }

    @Test
    void browserLikeGet() {
        assertParses("""
                GET /search?q=caf%C3%A9&lang=fr HTTP/1.1\r
                Host: localhost:8000\r
                User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0\r
                Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r
                Accept-Language: en-US,en;q=0.5\r
                Accept-Encoding: gzip, deflate, br, zstd\r
                Connection: keep-alive\r
                Cookie: session=abc123; theme=dark\r
                Upgrade-Insecure-Requests: 1\r
                \r
                """, List.of(get("/search?q=caf%C3%A9&lang=fr",
                "Host", "localhost:8000",
                "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
                "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language", "en-US,en;q=0.5",
                "Accept-Encoding", "gzip, deflate, br, zstd",
                "Connection", "keep-alive",
                "Cookie", "session=abc123; theme=dark",
                "Upgrade-Insecure-Requests", "1"), EndOfMessage.EMPTY));
    }

    @Test
    void postWithContentLength() {
        assertParses("""
                POST /users HTTP/1.1\r
                Host: h\r
                Content-Type: application/json\r
                Content-Length: 13\r
                \r
                {"name":"a"}
                """, List.of(new RequestHead("POST", "/users", 1,
                        fields("Host", "h", "Content-Type", "application/json", "Content-Length", "13")),
                data("{\"name\":\"a\"}\n"), EndOfMessage.EMPTY));
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() {
        assertParses("""
                POST /upload HTTP/1.1\r
                Host: h\r
                Transfer-Encoding: chunked\r
                \r
                5\r
                hello\r
                6 ; name = value ;flag;q="a \\"b\\";c"\r
                 world\r
                0;last\r
                Checksum: abc\r
                X-Done:yes \r
                \r
                """, List.of(new RequestHead("POST", "/upload", 1, fields("Host", "h", "Transfer-Encoding", "chunked")),
                data("hello world"), new EndOfMessage(fields("Checksum", "abc", "X-Done", "yes"))));
    }

    @Test
    void chunkedBodyHexSizesAndEmptyTrailers() {
        String sixteen = "0123456789abcdef";
        assertParses("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: , Chunked\r\n\r\n"
                        + "0010\r\n" + sixteen + "\r\n" + "A\r\n" + sixteen.substring(0, 10) + "\r\n" + "000\r\n\r\n",
                List.of(new RequestHead("POST", "/", 1, fields("Host", "h", "Transfer-Encoding", ", Chunked")),
                        data(sixteen + sixteen.substring(0, 10)), EndOfMessage.EMPTY));
    }

    @Test
    void http10WithoutHost() {
        assertParses("GET /old HTTP/1.0\r\nUser-Agent: ab\r\nConnection: Keep-Alive\r\n\r\n",
                List.of(new RequestHead("GET", "/old", 0, fields("User-Agent", "ab", "Connection", "Keep-Alive")),
                        EndOfMessage.EMPTY));
    }

    @Test
    void laterHttp1MinorVersionIsServedAs11() {
        assertParses("GET / HTTP/1.7\r\nHost: h\r\n\r\n", List.of(get("/", "Host", "h"), EndOfMessage.EMPTY));
    }

    @Test
    void emptyLinesBeforeRequestLineAreSkipped() {
        assertParses("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", List.of(get("/", "Host", "h"), EndOfMessage.EMPTY));
    }

    @Test
    void targetForms() {
        assertParses("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
                List.of(new RequestHead("OPTIONS", "*", 1, fields("Host", "h")), EndOfMessage.EMPTY));
        assertParses("GET HTTP://example.com:80?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
                List.of(get("HTTP://example.com:80?x=1", "Host", "example.com"), EndOfMessage.EMPTY));
        assertParses("DELETE https://[::1]:8443/a/b HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n",
                List.of(new RequestHead("DELETE", "https://[::1]:8443/a/b", 1, fields("Host", "[::1]:8443")),
                        EndOfMessage.EMPTY));
    }

    @Test
    void fieldValuesAreTrimmedAndKeepObsText() {
        assertParses("GET / HTTP/1.1\r\nHost:h\r\nX-Empty:\r\nX-Tabs: \t a\tb \t\r\nX-Latin: caf\u00e9\r\n\r\n",
                List.of(get("/", "Host", "h", "X-Empty", "", "X-Tabs", "a\tb", "X-Latin", "caf\u00e9"),
                        EndOfMessage.EMPTY));
    }

    @Test
    void identicalContentLengthsAreOne() {
        assertParses("PUT /k HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\ncontent-length: 003\r\n\r\nabc",
                List.of(new RequestHead("PUT", "/k", 1, fields("Host", "h", "Content-Length", "3, 3", "content-length", "003")),
                        data("abc"), EndOfMessage.EMPTY));
    }

    @Test
    void validHostValues() {
        for (String host : List.of("a.b-c_d~e", "127.0.0.1:8080", "[2001:db8::7]", "[::ffff:10.0.0.1]:1",
                "[v1.x:y]", "h:", "%41bc", "a!$&'()*+,;=b")) {
            assertParses("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n", List.of(get("/", "Host", host), EndOfMessage.EMPTY));
        }
    }

    /** RFC 9112 3.2.2: an absolute-form target's authority wins, so its Host may be empty (RFC 9110 7.2). */
    @Test
    void emptyHostWithAnAbsoluteFormTarget() {
        assertParses("GET http://h/p HTTP/1.1\r\nHost: \r\n\r\n",
                List.of(get("http://h/p", "Host", ""), EndOfMessage.EMPTY));
    }

    @Test
    void methodOfThe32ByteLimit() {
        String method = "M".repeat(HeadParser.MAX_METHOD_LENGTH);
        assertParses(method + " / HTTP/1.1\r\nHost: h\r\n\r\n",
                List.of(new RequestHead(method, "/", 1, fields("Host", "h")), EndOfMessage.EMPTY));
    }

    @Test
    void expectContinueWithBody() {
        assertParses("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nhi",
                List.of(new RequestHead("POST", "/", 1, fields("Host", "h", "Expect", "100-Continue", "Content-Length", "2")),
                        data("hi"), EndOfMessage.EMPTY));
    }

    @Test
    void commonMethodsAreShared() {
        RequestHead a = (RequestHead) Exchange.events(Exchange.bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n")).getFirst();
        RequestHead b = (RequestHead) Exchange.events(Exchange.bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n")).getFirst();
        assertSame(a.method(), b.method());
        RequestHead custom = (RequestHead) Exchange.events(Exchange.bytes("PROPFIND / HTTP/1.1\r\nHost: h\r\n\r\n")).getFirst();
        assertEquals("PROPFIND", custom.method());
    }

    @Test
    void pathAndQuery() {
        assertEquals("/a/b", get("/a/b?x=1?y").path());
        assertEquals("x=1?y", get("/a/b?x=1?y").query());
        assertEquals("", get("/a").query());
        assertEquals("/", get("http://h").path());
        assertEquals("/", get("http://h?q").path());
        assertEquals("q", get("http://h?q").query());
        assertEquals("/p", get("https://h:1/p?q").path());
        assertEquals("*", new RequestHead("OPTIONS", "*", 1, List.of()).path());
    }
}
