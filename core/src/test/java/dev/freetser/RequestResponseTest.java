package dev.freetser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The helpers on Request and Response that handlers use. */
class RequestResponseTest {
    private static Request request(String query, String contentType, byte[] body) {
        Headers headers = contentType == null ? Headers.empty() : Headers.of("Content-Type", contentType);
        return new Request("POST", "/p?" + query, "/p", query, "HTTP/1.1", headers, body, null);
    }

    @Test
    void paramsAreFormDecodedInOrderWithRepeats() {
        Request r = request("a=1&b=x+y&a=%C3%A9&flag&=empty", null, new byte[0]);
        assertEquals(Map.of("a", List.of("1", "é"), "b", List.of("x y"), "flag", List.of(""), "", List.of("empty")), r.params());
        assertEquals("1", r.param("a"));
        assertNull(r.param("missing"));
    }

    @Test
    void malformedPercentEscapeIs400() {
        HttpException e = assertThrows(HttpException.class, () -> request("a=%zz", null, new byte[0]).params());
        assertEquals(400, e.status());
    }

    @Test
    void textUsesTheCharsetOfContentTypeElseUtf8() {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("café", request("", "text/plain; charset=ISO-8859-1", latin1).text());
        assertEquals("café", request("", "text/plain", "café".getBytes(StandardCharsets.UTF_8)).text());
        assertEquals(415, assertThrows(HttpException.class,
                () -> request("", "text/plain; charset=no-such", latin1).text()).status());
    }

    record Point(int x, int y) {}

    @Test
    void jsonRoundTripsRecordsInDeclarationOrder() {
        Response r = Response.json(new Point(1, 2), 201);
        assertEquals(201, r.status());
        assertEquals("application/json", r.headers().get("content-type"));
        assertEquals("{\"x\":1,\"y\":2}", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(new Point(3, 4), request("", "application/json", "{\"x\":3,\"y\":4}".getBytes(StandardCharsets.UTF_8)).json(Point.class));
        assertEquals(400, assertThrows(HttpException.class,
                () -> request("", "application/json", "{oops".getBytes(StandardCharsets.UTF_8)).json(Point.class)).status());
    }

    @Test
    void factoriesSetStatusTypeAndBody() {
        assertEquals(204, Response.empty().status());
        assertEquals(0, Response.empty(304).body().length);
        Response text = Response.text("hé", 404).withHeader("X-A", "1");
        assertEquals("text/plain; charset=utf-8", text.headers().get("Content-Type"));
        assertArrayEquals("hé".getBytes(StandardCharsets.UTF_8), text.body());
        assertEquals("1", text.headers().get("x-a"));
        assertEquals(Response.bytes("a/b", new byte[] {1, 2}), Response.bytes("a/b", new byte[] {1, 2}));
    }

    @Test
    void invalidResponsesAreRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> Response.text("x", 199));
        assertThrows(IllegalArgumentException.class, () -> Response.text("x", 600));
        assertThrows(IllegalArgumentException.class, () -> Response.text("x").withHeader("X", "a\r\nInjected: 1"));
        assertThrows(IllegalArgumentException.class, () -> new HttpException(200, "not an error"));
    }
}
