package dev.freetser.server;

import dev.freetser.Headers;
import dev.freetser.Request;
import dev.freetser.Response;
import dev.freetser.http.*;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Translates between the core's events and the API's {@link Request} and {@link Response}:
 * the one place that decides which headers the server adds to a handler's response.
 */
final class Exchange {
    private static final System.Logger REQUESTS = System.getLogger("freetser.request");
    private static final int STREAM_CHUNK = 16 * 1024;

    private static final Field CLOSE = new Field("Connection", "close");
    // Not RFC_1123_DATE_TIME: it writes one-digit days, and IMF-fixdate (RFC 9110 5.6.7) needs two.
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);
    private static volatile DateField date = new DateField(-1, null);

    private record DateField(long second, Field field) {}

    /** The answer to a handler that threw; the connection closes after it. */
    static final Response FAILED = Response.text("Internal Server Error\n", 500);

    /** Writes what the serializer put in the output buffer. */
    interface Flush {
        void write() throws IOException;
    }

    /**
     * The API's request for a parsed head and its whole body. The parser has checked every field,
     * so {@code checkedHeaders} (see {@link Listener#start}) takes them without checking again.
     */
    static Request request(RequestHead head, byte[] body, SocketAddress remote,
                                  Function<String[], Headers> checkedHeaders) {
        List<Field> fields = head.fields();
        String[] namesAndValues = new String[fields.size() * 2];
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            namesAndValues[2 * i] = f.name();
            namesAndValues[2 * i + 1] = f.value();
        }
        return new Request(head.method(), head.target(), head.path(), head.query(),
                head.minorVersion() == 0 ? "HTTP/1.0" : "HTTP/1.1", checkedHeaders.apply(namesAndValues), body, remote);
    }

    /**
     * Serializes and writes a handler's response. A body of known bytes goes out with its head in
     * one write; a streamed body is buffered 16 KiB at a time, each full buffer sent as a chunk. The
     * head's fields are marked checked: the response's come from {@link Headers}, which checks
     * every field on its way in, and the ones added here are the server's own.
     */
    static void send(Connection conn, Output out, Response r, boolean headRequest, boolean close, Flush flush)
            throws IOException {
        int status = r.status();
        boolean bodyless = headRequest || status == 204 || status == 304;
        Headers headers = r.headers();
        List<Field> fields = new ArrayList<>(headers.size() + 3);
        String givenLength = null;
        boolean hasDate = false;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.equalsIgnoreCase("Content-Length")) {
                givenLength = headers.value(i);
            } else if (!name.equalsIgnoreCase("Transfer-Encoding")) {
                hasDate |= name.equalsIgnoreCase("Date");
                fields.add(new Field(name, headers.value(i)));
            }
        }
        if (!hasDate) {
            fields.add(date());
        }
        if (close) {
            fields.add(CLOSE);
        }
        if (r.stream() == null && bodyless && r.body().length == 0 && givenLength != null && status != 204) {
            fields.add(new Field("Content-Length", givenLength)); // as a GET would have had (RFC 9110 8.6)
        } else if (r.stream() == null && status != 204 && status != 304) {
            fields.add(new Field("Content-Length", Integer.toString(r.body().length)));
        }
        conn.send(new ResponseHead(status, fields, true), out);
        if (r.stream() == null && r.body().length > 0) {
            conn.send(new BodyData(r.body()), out);
        } else if (r.stream() != null && !bodyless) {
            OutputStream chunks = new OutputStream() { // each write one chunk, sent at once
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    conn.send(new BodyData(Arrays.copyOfRange(b, off, off + len)), out);
                    flush.write();
                }

                @Override
                public void flush() throws IOException {
                    flush.write(); // sends the head even before any body
                }
            };
            try (OutputStream body = new BufferedOutputStream(chunks, STREAM_CHUNK)) {
                r.stream().writeTo(body);
            }
        }
        conn.send(EndOfMessage.EMPTY, out);
        flush.write();
    }

    /** The Date field, made at most once a second. */
    private static Field date() {
        long second = System.currentTimeMillis() / 1000;
        DateField d = date;
        if (d.second != second) {
            d = new DateField(second, new Field("Date",
                    IMF_FIXDATE.format(Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC))));
            date = d;
        }
        return d.field;
    }

    static void log(Request request, Response response, long nanos) {
        REQUESTS.log(System.Logger.Level.INFO, "{0} \"{1} {2} {3}\" {4} {5} {6}us", request.remoteAddress(),
                request.method(), request.target(), request.version(), response.status(),
                response.stream() == null ? Integer.toString(response.body().length) : "-", nanos / 1000);
    }
}
