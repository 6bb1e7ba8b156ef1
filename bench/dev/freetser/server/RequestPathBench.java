package dev.freetser.server;

import dev.freetser.Handler;
import dev.freetser.Headers;
import dev.freetser.Request;
import dev.freetser.Response;
import dev.freetser.http.BodyData;
import dev.freetser.http.Connection;
import dev.freetser.http.EndOfMessage;
import dev.freetser.http.Event;
import dev.freetser.http.HttpLimits;
import dev.freetser.http.Output;
import dev.freetser.http.RequestHead;
import dev.freetser.bench.ParserBench;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One keep-alive request through everything the connection loop does apart from the socket:
 * bytes into the core, events, the API's {@link Request}, a handler, its {@link Response}
 * serialized into the connection's output, then the next cycle. Run it with {@code -prof gc}:
 * {@code gc.alloc.rate.norm} (bytes allocated per request) is exact and does not depend on a
 * noisy machine, ns/op does.
 *
 * <ul>
 * <li>{@code hello}: {@code GET /plaintext} as wrk sends it, answered by the demo's own handler ("Hello, World!").
 * <li>{@code helloBrowser}: {@link ParserBench}'s browser GET (nine header fields), answered by the
 *     demo's page describing the request.
 * <li>{@code stressTestGet}, {@code stressTestPost}: wrk's {@code /stress-test/{id}} requests
 *     (POST with the body {@code hello world}) answered with the demo's texts by a handler that
 *     skips the store, so the figure is the HTTP side only.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestPathBench {
    private static final byte[] WRK_GET = ascii("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n");
    private static final byte[] STRESS_GET = ascii("GET /stress-test/1234 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n");
    private static final byte[] STRESS_POST = ascii(
            "POST /stress-test/1234 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Length: 11\r\n\r\nhello world");

    /** The answers of the demo's stress-test routes for an existing key, without the store. */
    private static final Handler STRESS_TEST = (request, store) -> {
        String id = request.path().substring("/stress-test/".length());
        return request.method().equals("GET")
                ? Response.text("Found: " + id + ", counter=0\n")
                : Response.text("Updated: " + id + "\n");
    };

    /** What Server.start hands the server: the API's package-private factory of already checked headers. */
    private static final Function<String[], Headers> CHECKED_HEADERS = checkedHeaders();

    private final Connection conn = new Connection(HttpLimits.defaults());
    private final Output out = new Output();
    private Handler demo;
    private int written;
    private final Exchange.Flush count = () -> {
        written += out.length();
        out.reset();
    };

    @Setup
    public void setUp() throws Exception {
        // The demo's handler is package-private; on the class path reflection reaches it.
        var constructor = Class.forName("dev.freetser.demo.DemoRoutes").getDeclaredConstructor();
        constructor.setAccessible(true);
        demo = (Handler) constructor.newInstance();
        check(WRK_GET, demo, "Hello, World!");
        check(STRESS_POST, STRESS_TEST, "Updated: 1234");
    }

    @Benchmark
    public int hello() throws Exception {
        return exchange(WRK_GET, demo);
    }

    @Benchmark
    public int helloBrowser() throws Exception {
        return exchange(ParserBench.BROWSER_GET, demo);
    }

    @Benchmark
    public int stressTestGet() throws Exception {
        return exchange(STRESS_GET, STRESS_TEST);
    }

    @Benchmark
    public int stressTestPost() throws Exception {
        return exchange(STRESS_POST, STRESS_TEST);
    }

    private int exchange(byte[] request, Handler handler) throws Exception {
        written = 0;
        serve(request, handler, count);
        return written;
    }

    /** What {@code ConnectionLoop.serve} does for one request, with {@code flush} in place of the socket write. */
    private void serve(byte[] request, Handler handler, Exchange.Flush flush) throws Exception {
        conn.receiveData(request, 0, request.length);
        RequestHead head = (RequestHead) conn.nextEvent();
        byte[] body = null;
        for (Event e = (Event) conn.nextEvent(); !(e instanceof EndOfMessage); e = (Event) conn.nextEvent()) {
            body = ((BodyData) e).data(); // one piece: these bodies arrive whole
        }
        Response response = handler.handle(Exchange.request(head, body == null ? new byte[0] : body, null, CHECKED_HEADERS), null);
        Exchange.send(conn, out, response, false, false, flush);
        conn.startNextCycle();
    }

    /** Fails the setup when a request does not get the expected answer. */
    private void check(byte[] request, Handler handler, String expected) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        serve(request, handler, () -> {
            all.write(out.array(), 0, out.length());
            out.reset();
        });
        String response = all.toString(StandardCharsets.ISO_8859_1);
        if (!response.startsWith("HTTP/1.1 200 OK\r\n") || !response.contains(expected)) {
            throw new IllegalStateException("unexpected response: " + response);
        }
    }

    private static Function<String[], Headers> checkedHeaders() {
        try {
            MethodHandle ofChecked = MethodHandles.privateLookupIn(Headers.class, MethodHandles.lookup())
                    .findStatic(Headers.class, "ofChecked", MethodType.methodType(Headers.class, String[].class));
            return fields -> {
                try {
                    return (Headers) ofChecked.invokeExact(fields);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
