package dev.freetser.bench;

import dev.freetser.http.BodyData;
import dev.freetser.http.Connection;
import dev.freetser.http.EndOfMessage;
import dev.freetser.http.Field;
import dev.freetser.http.HttpLimits;
import dev.freetser.http.Next;
import dev.freetser.http.Output;
import dev.freetser.http.ResponseHead;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The sans-IO core alone: parse a typical browser GET (about 400 bytes) on a fresh connection;
 * parse it and serialize a small response; and the same on one kept-alive connection, the steady
 * state of a busy server. Run with
 * {@code java -cp <test classpath> org.openjdk.jmh.Main ParserBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParserBench {
    public static final byte[] BROWSER_GET = ("""
            GET /search?q=sqlite&page=2 HTTP/1.1\r
            Host: localhost:8000\r
            User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0\r
            Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r
            Accept-Language: en-US,en;q=0.5\r
            Accept-Encoding: gzip, deflate, br, zstd\r
            Connection: keep-alive\r
            Cookie: session=abc123; theme=dark\r
            Upgrade-Insecure-Requests: 1\r
            \r
            """).getBytes(StandardCharsets.ISO_8859_1);
    private static final HttpLimits LIMITS = HttpLimits.defaults();
    private static final ResponseHead RESPONSE = new ResponseHead(200, List.of(
            new Field("Content-Type", "text/plain; charset=utf-8"),
            new Field("Content-Length", "12"),
            new Field("Date", "Tue, 01 Jul 2025 10:00:00 GMT")));
    private static final BodyData BODY = new BodyData("Hello world!".getBytes(StandardCharsets.UTF_8));

    private final Output out = new Output(1024);
    private final Connection kept = new Connection(LIMITS);

    @Benchmark
    public void parseBrowserGet(Blackhole bh) {
        Connection c = new Connection(LIMITS);
        c.receiveData(BROWSER_GET, 0, BROWSER_GET.length);
        Next head = c.nextEvent();
        Next end = c.nextEvent();
        bh.consume(head);
        bh.consume(end);
    }

    @Benchmark
    public int parseAndRespond() {
        return exchange(new Connection(LIMITS));
    }

    @Benchmark
    public int keptConnectionCycle() {
        int n = exchange(kept);
        kept.startNextCycle();
        return n;
    }

    private int exchange(Connection c) {
        c.receiveData(BROWSER_GET, 0, BROWSER_GET.length);
        c.nextEvent();
        c.nextEvent();
        out.reset();
        c.send(RESPONSE, out);
        c.send(BODY, out);
        c.send(EndOfMessage.EMPTY, out);
        return out.length();
    }
}
