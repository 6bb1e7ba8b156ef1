package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.Headers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failures injected into the accept path: a failing accept is logged once per kind and retried,
 * and the connections after it are served; a listener that dies closes the server, so that
 * {@code awaitShutdown} reports it instead of leaving a live process that no longer listens.
 */
@Timeout(30)
class AcceptFailureTest {
    private final Logger serverLog = Logger.getLogger("freetser.server");
    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (logged) {
                logged.add(r.getLevel() + " " + r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Throws the queued failures, one per accept, then accepts for real. */
    private final Deque<Throwable> failures = new ConcurrentLinkedDeque<>();
    private final Listener.Acceptor acceptor = server -> {
        Throwable next = failures.poll();
        if (next instanceof IOException e) {
            throw e;
        } else if (next instanceof RuntimeException e) {
            throw e;
        } else if (next instanceof Error e) {
            throw e;
        }
        return server.accept();
    };

    @BeforeEach
    void captureLog() {
        serverLog.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        serverLog.removeHandler(capture);
    }

    private Listener start() throws IOException {
        return Listener.start(TestApp.config(), TestApp.HANDLER, null, Headers::of, acceptor);
    }

    @Test
    void failedAcceptsAreLoggedOncePerKindAndTheNextConnectionsAreServed() throws Exception {
        for (int i = 0; i < 5; i++) {
            failures.add(new IOException("Too many open files (injected)"));
        }
        failures.add(new IllegalStateException("injected"));
        failures.add(new NoClassDefFoundError("injected"));
        Listener listener = start();
        try {
            for (int i = 0; i < 3; i++) {
                try (RawClient c = new RawClient(listener.address())) {
                    assertEquals("Hello world!", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
                }
            }
            assertTrue(failures.isEmpty());
        } finally {
            listener.close();
        }
        listener.awaitShutdown(); // closed by us: no failure to report
        List<String> warnings;
        synchronized (logged) {
            warnings = logged.stream().filter(l -> l.startsWith("WARNING accept failed")).toList();
        }
        assertEquals(3, warnings.size(), "one line per kind: " + warnings);
        assertTrue(warnings.get(0).startsWith("WARNING accept failed (java.io.IOException: Too many open files (injected)); retrying in 10 ms"),
                warnings.get(0));
        assertTrue(warnings.get(1).contains("IllegalStateException: injected"), warnings.get(1));
        assertTrue(warnings.get(2).contains("NoClassDefFoundError: injected"), warnings.get(2));
    }

    @Test
    void aListenerThatDiesClosesTheServerAndAwaitShutdownSaysWhy() throws Exception {
        failures.add(new OutOfMemoryError("injected"));
        Listener listener = start();
        IOException e = assertThrows(IOException.class, listener::awaitShutdown);
        assertEquals("the server stopped listening on " + listener.address()
                + ": java.lang.OutOfMemoryError: injected", e.getMessage());
        int port = ((InetSocketAddress) listener.address()).getPort();
        try (Socket s = new Socket()) {
            assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress("127.0.0.1", port), 5000),
                    "nothing listens any more");
        }
        listener.close(); // idempotent after the failure
        assertThrows(IOException.class, listener::awaitShutdown);
    }

    @Test
    void aConnectionThatCannotBeConfiguredIsDroppedAndTheNextIsServed() throws Exception {
        Listener listener = Listener.start(TestApp.config(), TestApp.HANDLER, null, Headers::of, server -> {
            SocketChannel ch = server.accept();
            if (failures.isEmpty()) {
                failures.add(new IllegalStateException("used once"));
                ch.close(); // configuring a closed channel fails
            }
            return ch;
        });
        try {
            try (RawClient c = new RawClient(listener.address())) {
                assertThrows(IOException.class, () -> c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read());
            }
            try (RawClient c = new RawClient(listener.address())) {
                assertEquals("Hello world!", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
            }
        } finally {
            listener.close();
        }
        synchronized (logged) {
            assertTrue(logged.stream().anyMatch(l -> l.startsWith("WARNING could not start a connection: "
                    + "java.nio.channels.ClosedChannelException")), logged.toString());
        }
    }
}
