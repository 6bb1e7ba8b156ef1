package dev.freetser.server;

import dev.freetser.Handler;
import dev.freetser.HttpException;
import dev.freetser.Response;
import dev.freetser.Server;
import dev.freetser.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;

/** The handler the server tests run, and a way to start it on an ephemeral port. */
final class TestApp {
    private TestApp() {}

    static final Handler HANDLER = (req, store) -> switch (req.path()) {
        case "/" -> Response.text("Hello world!");
        case "/echo" -> Response.text(req.method() + " " + req.path() + " " + req.query() + " " + req.version()
                + "\nbody " + req.body().length + ": " + req.text());
        case "/throw" -> throw new IllegalStateException("handler failed on purpose");
        case "/conflict" -> throw new HttpException(409, "conflict");
        case "/port" -> Response.text(Integer.toString(((InetSocketAddress) req.remoteAddress()).getPort()));
        case "/thread" -> Response.text(Thread.currentThread().getName() + " " + Thread.currentThread().isVirtual());
        case "/stream" -> Response.stream("text/plain", out -> {
            int n = Integer.parseInt(req.param("n"));
            byte[] block = new byte[1000];
            Arrays.fill(block, (byte) 'x');
            for (int left = n; left > 0; left -= block.length) {
                out.write(block, 0, Math.min(left, block.length));
            }
        });
        default -> Response.text("Not found!", 404);
    };

    static ServerConfig config() {
        return ServerConfig.tcp("127.0.0.1", 0);
    }

    static Server start(ServerConfig config) {
        return start(config, HANDLER);
    }

    static Server start(ServerConfig config, Handler handler) {
        try {
            return Server.start(config, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
