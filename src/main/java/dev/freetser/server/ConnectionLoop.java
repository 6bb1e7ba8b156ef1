package dev.freetser.server;

import dev.freetser.Handler;
import dev.freetser.HttpException;
import dev.freetser.Request;
import dev.freetser.Response;
import dev.freetser.http.BodyData;
import dev.freetser.http.Connection;
import dev.freetser.http.ConnectionClosed;
import dev.freetser.http.EndOfMessage;
import dev.freetser.http.Event;
import dev.freetser.http.InformationalResponse;
import dev.freetser.http.Next;
import dev.freetser.http.Output;
import dev.freetser.http.ProtocolException;
import dev.freetser.http.RemoteProtocolException;
import dev.freetser.http.RequestHead;
import dev.freetser.http.State;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;

/**
 * Serves one connection on its own virtual thread: wait for a request, answer 100 Continue if
 * asked, collect the body, call the handler, write the response in one write, and repeat until
 * the connection must close. The original's {@code handle_client}, in Java. The thread is named
 * {@code freetser-conn-N} after the connection, the Nth accepted, while it serves it.
 */
final class ConnectionLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger("freetser.server");

    /** What the connection is waiting for; the deadline of each phase is in {@link #deadline}. */
    enum Phase { IDLE, HEAD, BODY, HANDLER, WRITE }

    private final Listener listener;
    private final SocketChannel channel;
    private final SocketWatcher.Watch watch;
    private final SocketAddress remote;
    private final Connection conn;
    private final long number;
    private final Output out = new Output();
    private final Exchange.Flush flush = this::write;

    private volatile Phase phase = Phase.IDLE;
    private volatile long deadline;
    private volatile boolean expired;
    private Thread thread;

    ConnectionLoop(Listener listener, SocketChannel channel, SocketWatcher.Watch watch, SocketAddress remote,
                   long number) {
        this.listener = listener;
        this.number = number;
        this.channel = channel;
        this.watch = watch;
        this.remote = remote;
        this.conn = new Connection(listener.httpLimits());
    }

    @Override
    public void run() {
        Thread.currentThread().setName("freetser-conn-" + number);
        try {
            startPhase(Phase.IDLE);
            boolean await = !receive(); // a new connection's first request is usually there already
            while (!listener.closing()) {
                // Between requests the thread waits here, under as few frames as it can, not deep
                // inside serveOne: a parked virtual thread's frames are copied to the heap. Under
                // 1,024 busy connections that is about 3,170 bytes of heap per connection instead
                // of 3,710 (its stack chunks about 1,600 instead of 2,150). This frame keeps the
                // code it was entered with, often the JIT's first tier, for the connection's life;
                // returning every 64 requests to pick up C2 code was measured and served no more
                // (its stack chunks took 10% more heap, copied at every park). Moving the loop
                // into a method of its own cut what a park copies from 768 to 272 bytes, but the
                // old generation ended the benchmark's sequence 1.2 to 2.3 MB fuller (both in
                // bench/RESULTS.md).
                if (await) {
                    watch.awaitReadable();
                }
                if (!serveOne()) {
                    return;
                }
                await = !conn.hasBufferedData(); // a pipelined request is read without waiting
                startPhase(await ? Phase.IDLE : Phase.HEAD);
            }
        } catch (Timeout e) {
            if (e.phase == Phase.HEAD || e.phase == Phase.BODY) {
                sendError(408, "request not received within " + listener.timeoutNanos(e.phase) / 1_000_000 + " ms");
            }
        } catch (RemoteProtocolException e) {
            LOG.log(System.Logger.Level.DEBUG, "protocol error from {0}: {1}", remote, e.getMessage());
            sendError(e.status(), e.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "connection from {0} ended: {1}", remote, e.toString());
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "connection from " + remote + " failed", e);
        } finally {
            // Give the buffers back: most connections end in a read (of end-of-stream, or of a
            // reset), which took one, and a dropped one soon adds a kilobyte to the old generation.
            conn.releaseBuffer();
            out.reset();
            out.release();
            watch.close();
            listener.release(this);
            Thread.currentThread().setName(Listener.READY_NAME); // it may wait for the next connection
        }
    }

    /** Reads, handles and answers one request; false once the connection must close. */
    private boolean serveOne() throws IOException {
        Event first = nextEvent();
        // Not instanceof: compiled while no connection had closed yet, a type check makes C2
        // recompile this method at the first close, inlining far more (25 MB of compiler arena
        // against 6, -XX:CompileCommand=MemStat), memory the C library then keeps.
        if (first == ConnectionClosed.INSTANCE) {
            return false;
        }
        RequestHead head = (RequestHead) first;
        startPhase(Phase.BODY);
        if (conn.theyAreWaitingFor100Continue()) {
            out.reset();
            conn.send(new InformationalResponse(100, List.of()), out);
            write();
        }
        byte[] body = readBody();
        conn.releaseBuffer(); // waits for the handler (storage, say) hold no buffers: see SpareBuffers
        startPhase(Phase.HANDLER);
        Request request = Exchange.request(head, body, remote, listener.checkedHeaders());
        long started = listener.logRequests() ? System.nanoTime() : 0;
        Response response = handle(request);
        startPhase(Phase.WRITE);
        Exchange.send(conn, out, response, head.method().equals("HEAD"), listener.closing() || response == Exchange.FAILED,
                flush);
        if (listener.logRequests()) {
            Exchange.log(request, response, System.nanoTime() - started);
        }
        if (conn.ourState() != State.DONE || conn.theirState() != State.DONE) {
            return false;
        }
        conn.startNextCycle();
        return true;
    }

    private Response handle(Request request) {
        Handler handler = listener.handler();
        try {
            Response response = handler.handle(request, listener.store());
            if (response == null) {
                throw new NullPointerException("handler returned null for " + request.method() + " " + request.path());
            }
            return response;
        } catch (HttpException e) {
            return Response.text(e.getMessage() == null ? "" : e.getMessage() + "\n", e.status());
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "handler failed on " + request.method() + " " + request.path(), e);
            return Exchange.FAILED;
        }
    }

    private byte[] readBody() throws IOException {
        byte[] body = null;
        byte[][] more = null;
        int parts = 0;
        while (true) {
            Event e = nextEvent();
            if (e instanceof BodyData data) {
                if (body == null) {
                    body = data.data();
                } else {
                    if (more == null) {
                        more = new byte[8][];
                    } else if (parts == more.length) {
                        more = Arrays.copyOf(more, parts * 2);
                    }
                    more[parts++] = data.data();
                }
            } else if (e instanceof EndOfMessage) {
                return Exchange.concat(body, more, parts);
            } else {
                throw new IllegalStateException("unexpected event while reading a body: " + e);
            }
        }
    }

    /** The next event, reading from the socket whenever the core needs bytes. */
    private Event nextEvent() throws IOException {
        while (true) {
            Next next = conn.nextEvent();
            if (next instanceof Event event) {
                return event;
            }
            while (!receive()) {
                watch.awaitReadable();
            }
        }
    }

    /** Reads what the socket has; false if it had nothing (the receive buffer is then given back). */
    private boolean receive() throws IOException {
        int n = DirectBuffers.read(channel, conn.receiveBuffer());
        if (n == 0) {
            conn.releaseBuffer(); // kept only while a partial request is in it
            return false;
        }
        if (expired) {
            throw new Timeout(phase);
        }
        if (n < 0) {
            conn.receiveEof();
        } else {
            if (phase == Phase.IDLE) {
                startPhase(Phase.HEAD);
            }
            conn.received(n);
        }
        return true;
    }

    private void write() throws IOException {
        ByteBuffer buf = out.asByteBuffer();
        Phase previous = phase;
        startPhase(Phase.WRITE); // each write gets the whole write timeout: per response, or per streamed chunk
        while (buf.hasRemaining()) {
            if (DirectBuffers.write(channel, buf) == 0) {
                watch.awaitWritable();
            }
        }
        if (expired) {
            throw new Timeout(Phase.WRITE);
        }
        out.reset();
        out.release();
        if (previous != Phase.WRITE) { // a 100 Continue, written while the body is awaited
            startPhase(previous);
        }
    }

    /** One last response before closing; the connection may already be unusable. */
    private void sendError(int status, String message) {
        try {
            out.reset();
            Exchange.sendError(conn, out, status, message);
            expired = false;
            startPhase(Phase.WRITE);
            write();
        } catch (IOException | ProtocolException e) {
            LOG.log(System.Logger.Level.TRACE, "could not send {0} to {1}: {2}", status, remote, e.toString());
        }
    }

    private void startPhase(Phase next) {
        phase = next;
        deadline = listener.deadline(next);
    }


    /** Called by the sweeper thread: a late reader is woken with end-of-stream, a late writer cut off. */
    void expireIfLate(long now) {
        long d = deadline;
        if (d == 0 || now - d < 0) {
            return;
        }
        expired = true;
        deadline = 0;
        try {
            if (phase == Phase.WRITE) {
                watch.close();
            } else {
                channel.shutdownInput();
                watch.cancel();
            }
        } catch (IOException e) {
            watch.close();
        }
    }

    /** Called on shutdown: a connection waiting for its next request is ended now. */
    void closeIfIdle() {
        if (phase == Phase.IDLE) {
            try {
                channel.shutdownInput();
                watch.cancel();
            } catch (IOException e) {
                watch.close();
            }
        }
    }

    void abort() {
        watch.close();
    }

    /** Set by the accept loop before the thread starts, so a shutdown can always join it. */
    void thread(Thread t) {
        thread = t;
    }

    Thread thread() {
        return thread;
    }

    /** A deadline passed while in {@link #phase}. */
    private static final class Timeout extends IOException {
        final Phase phase;

        Timeout(Phase phase) {
            super("deadline passed while " + phase);
            this.phase = phase;
        }
    }
}
