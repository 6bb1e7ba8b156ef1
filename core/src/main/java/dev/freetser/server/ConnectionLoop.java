package dev.freetser.server;

import dev.freetser.HttpException;
import dev.freetser.Request;
import dev.freetser.Response;
import dev.freetser.http.*;
import dev.freetser.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;

/**
 * Serves one connection on its own virtual thread, the original's {@code handle_client}: read
 * until the core has a request, answer 100 Continue if asked, collect the body, call the handler,
 * write the response in one write, and repeat until the connection must close. Reads and writes
 * block; the listener's sweeper ends those that take too long.
 */
final class ConnectionLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger("freetser.server");
    /** Bytes asked of the socket per read: a typical request, or several pipelined, in one. */
    private static final int READ_SIZE = 4096;

    /** What the connection is waiting for; each phase but HANDLER has its own timeout. */
    enum Phase { IDLE, HEAD, BODY, HANDLER, WRITE }

    private final Listener listener;
    private final SocketChannel channel;
    private SocketAddress remote;
    private final Connection conn;
    private final Output out = new Output();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_SIZE);
    private final Exchange.Flush flush = this::write;
    private volatile Phase phase = Phase.IDLE;
    /** When the current phase must end ({@code System.nanoTime()}), or 0 for never. */
    private volatile long deadline;
    /** Set by the sweeper when it cut the connection off for being late. */
    private volatile boolean expired;

    ConnectionLoop(Listener listener, SocketChannel channel) {
        this.listener = listener;
        this.channel = channel;
        this.conn = new Connection(listener.httpLimits);
    }

    @Override
    public void run() {
        try {
            remote = channel.getRemoteAddress();
            startPhase(Phase.IDLE);
            while (!listener.closing && serveOne()) {
                startPhase(conn.hasBufferedData() ? Phase.HEAD : Phase.IDLE);
            }
        } catch (InterruptedByTimeoutException e) {
            if (phase == Phase.HEAD || phase == Phase.BODY) {
                sendError(408, "request not received within " + listener.timeoutNanos(phase) / 1_000_000 + " ms");
            }
        } catch (RemoteProtocolException e) {
            LOG.log(System.Logger.Level.DEBUG, "protocol error from {0}: {1}", remote, e.getMessage());
            sendError(e.status(), e.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "connection from {0} ended: {1}", remote, e.toString());
        } catch (RuntimeException e) {
            listener.failures.log(System.Logger.Level.ERROR, "connection " + e.getClass().getName(),
                    "connection from " + remote + " failed", e);
        } finally {
            listener.ended(this);
        }
    }

    /** Reads, handles and answers one request; false once the connection must close. */
    private boolean serveOne() throws IOException {
        Event first = nextEvent();
        if (first instanceof ConnectionClosed) {
            return false;
        }
        RequestHead head = (RequestHead) first;
        startPhase(Phase.BODY);
        if (conn.theyAreWaitingFor100Continue()) {
            conn.send(new InformationalResponse(100, List.of()), out);
            write();
            startPhase(Phase.BODY);
        }
        byte[] body = readBody();
        startPhase(Phase.HANDLER);
        Request request = Exchange.request(head, body, remote, listener.checkedHeaders);
        long started = listener.config.logRequests() ? System.nanoTime() : 0;
        Response response = handle(request);
        boolean close = listener.closing || response == Exchange.FAILED;
        Exchange.send(conn, out, response, head.method().equals("HEAD"), close, flush);
        if (listener.config.logRequests()) {
            Exchange.log(request, response, System.nanoTime() - started);
        }
        if (conn.ourState() != State.DONE || conn.theirState() != State.DONE) {
            return false;
        }
        conn.startNextCycle();
        return true;
    }

    private Response handle(Request request) {
        try {
            return Objects.requireNonNull(listener.handler.handle(request, listener.store),
                    () -> "handler returned null for " + request.method() + " " + request.path());
        } catch (HttpException e) {
            return Response.text(e.getMessage() == null ? "" : e.getMessage() + "\n", e.status());
        } catch (Throwable e) {
            String on = " on " + request.method() + " " + request.path();
            if (e instanceof StorageException s && s.fault() != null) { // not the request's fault: say so, stay open
                listener.failures.log(System.Logger.Level.WARNING, "storage " + s.fault(), s.getMessage() + on, null);
                Response r = Response.text(s.fault().summary() + "\n", s.fault() == StorageException.Fault.FULL ? 507 : 503);
                return r.status() == 503 ? r.withHeader("Retry-After", "1") : r;
            }
            listener.failures.log(System.Logger.Level.ERROR, "handler " + e.getClass().getName(), "handler failed" + on, e);
            return Exchange.FAILED;
        }
    }

    private byte[] readBody() throws IOException {
        Event e = nextEvent();
        if (e instanceof EndOfMessage) {
            return new byte[0];
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (; e instanceof BodyData data; e = nextEvent()) {
            body.write(data.data());
        }
        return body.toByteArray();
    }

    /** The next event, reading from the socket whenever the core needs bytes. */
    private Event nextEvent() throws IOException {
        while (true) {
            Next next = conn.nextEvent();
            if (next instanceof Event event) {
                return event;
            }
            int n = channel.read(readBuffer.clear());
            if (expired) {
                throw new InterruptedByTimeoutException();
            }
            if (n < 0) {
                conn.receiveEof();
            } else {
                if (phase == Phase.IDLE) {
                    startPhase(Phase.HEAD);
                }
                conn.receiveData(readBuffer.array(), 0, n);
            }
        }
    }

    /** Writes what the core serialized into {@link #out}, whole, within the write timeout. */
    private void write() throws IOException {
        startPhase(Phase.WRITE);
        ByteBuffer buf = out.asByteBuffer();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        if (expired) {
            throw new InterruptedByTimeoutException();
        }
        out.reset();
    }

    /** One last response before closing; the connection may already be unusable. */
    private void sendError(int status, String message) {
        try {
            out.reset();
            expired = false;
            Exchange.send(conn, out, Response.text(status + " " + message + "\n", status), false, true, flush);
        } catch (IOException | ProtocolException e) {
            LOG.log(System.Logger.Level.TRACE, "could not send {0} to {1}: {2}", status, remote, e.toString());
        }
    }

    private void startPhase(Phase next) {
        phase = next;
        long timeout = listener.timeoutNanos(next);
        deadline = timeout == 0 ? 0 : System.nanoTime() + timeout;
    }

    /** Called by the sweeper: a late reader is woken with end-of-stream, a late writer cut off. */
    void expireIfLate(long now) {
        long d = deadline;
        if (d == 0 || now - d < 0) {
            return;
        }
        expired = true;
        deadline = 0;
        try {
            if (phase == Phase.WRITE) {
                close();
            } else {
                channel.shutdownInput(); // a blocked read returns end-of-stream, and a 408 can still go out
            }
        } catch (IOException e) {
            close();
        }
    }

    /** Called on shutdown: a connection waiting for its next request is ended now. */
    void closeIfIdle() {
        if (phase == Phase.IDLE) {
            close();
        }
    }

    void close() {
        Listener.closeQuietly(channel);
    }
}
