package dev.freetser.demo;

import dev.freetser.Handler;
import dev.freetser.Request;
import dev.freetser.Response;
import dev.freetser.storage.Store;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The demo's handler: the original's test routes ({@code /stress-test/{id}}, {@code /items}), the
 * key-value API ({@code /kv}), a fixed {@code /plaintext} for benchmarks and, for anything else
 * ({@code /} included), the original's page describing the request.
 */
final class DemoRoutes implements Handler {
    /** The tables the demo opens: {@code kv} for the KV API, {@code items} shared with the stress test. */
    static final List<String> TABLES = List.of("kv", StressTestRoutes.TABLE);

    private static final String STRESS_TEST = "/stress-test/";
    /** What the peer servers of the benchmarks answer at /plaintext; made once, since the server never changes a Response. */
    private static final Response PLAINTEXT = Response.text("Hello, World!");

    private final KvRoutes kv;
    private final StressTestRoutes stressTest;

    /** @param clock the current time in Unix seconds */
    DemoRoutes(LongSupplier clock) {
        this.kv = new KvRoutes(TABLES, clock);
        this.stressTest = new StressTestRoutes(clock);
    }

    /** The demo's routes on the system clock. */
    DemoRoutes() {
        this(() -> System.currentTimeMillis() / 1000);
    }

    /**
     * Runs on the connection's virtual thread. Bad input throws {@link dev.freetser.HttpException},
     * which the server answers with its status and message as text, keeping the connection open;
     * a storage fault (a full queue among them) the server answers 503 or 507.
     */
    @Override
    public Response handle(Request request, Store store) {
        String path = request.path();
        String method = request.method();
        if (path.equals("/kv") || path.startsWith("/kv/")) {
            return kv.handle(request, store);
        }
        if (path.equals("/items") && method.equals("GET")) {
            return stressTest.items(store);
        }
        if (path.equals("/plaintext") && (method.equals("GET") || method.equals("HEAD"))) {
            return PLAINTEXT;
        }
        String id = stressTestId(path);
        if (id != null) {
            return switch (method) {
                case "GET" -> stressTest.getOrCreate(id, store);
                case "POST" -> stressTest.createOrUpdate(id, request.body(), store);
                case "DELETE" -> stressTest.delete(id, store);
                default -> hello(request);
            };
        }
        return hello(request);
    }

    /** The {id} of /stress-test/{id}: one non-empty segment, taken as sent; else null. */
    private static String stressTestId(String path) {
        if (!path.startsWith(STRESS_TEST) || path.length() == STRESS_TEST.length()
                || path.indexOf('/', STRESS_TEST.length()) >= 0) {
            return null;
        }
        return path.substring(STRESS_TEST.length());
    }

    /** The original's page; its "Path" is the request-target as sent, query included, as the original shows it. */
    private static Response hello(Request request) {
        return Response.text("Hello from freetser!\nThread: " + Thread.currentThread().getName()
                + "\nMethod: " + request.method() + "\nPath: " + request.target()
                + "\nBody length: " + request.body().length + " bytes\n");
    }
}
