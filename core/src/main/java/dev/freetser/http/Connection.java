package dev.freetser.http;

import java.util.Objects;

/**
 * The server side of one HTTP/1.1 connection, without I/O: bytes in through {@link #receiveData}
 * and {@link #receiveEof}, events out through {@link #nextEvent}, and response events turned
 * into bytes by {@link #send}. Mutable; used by one thread at a time.
 *
 * <p>The usual cycle: {@code nextEvent} gives a {@link RequestHead}, then {@link BodyData}
 * events, then {@link EndOfMessage}, then {@link Signal#PAUSED} until the response is sent
 * ({@link ResponseHead}, body, end) and {@link #startNextCycle} is called; or, when
 * {@link #ourState} is {@link State#MUST_CLOSE}, the caller closes the socket. Bytes of a
 * pipelined next request stay buffered meanwhile.
 *
 * <p>Contract of {@link #send}: the caller supplies Content-Length (or, for a body of unknown
 * length, none: the body is then sent chunked to an HTTP/1.1 peer and close-delimited to an
 * HTTP/1.0 peer) and Date; the connection adds {@code Connection: close} when it will close and
 * {@code Connection: keep-alive} when it keeps an HTTP/1.0 connection open, omits the body of a
 * response to HEAD and of 1xx, 204 and 304, and drops Content-Length and Transfer-Encoding fields
 * from 1xx and 204 responses. It owns the Connection and Transfer-Encoding fields: the caller's
 * are not written ({@code Connection: close} among them still closes the connection; a
 * Transfer-Encoding other than {@code chunked} is refused).
 *
 * <p>After {@link #nextEvent} threw a {@link RemoteProtocolException}, one error response may
 * still be sent (their state is {@link State#ERROR}); the connection then must close.
 */
public final class Connection {
    private final HttpLimits limits;
    private final ReceiveBuffer buffer = new ReceiveBuffer();
    private final StateMachine states = new StateMachine();
    private final HeadReader heads;
    private BodyReader body;
    private boolean eof;
    private RemoteProtocolException failure;
    private boolean waitingFor100;
    /** Of the request being answered: whether it was HEAD, and its minor version (-1: none parsed). */
    private boolean headRequest;
    private int peerMinorVersion = -1;
    private Framing responseFraming;
    private long responseLength;
    private long responseSent;

    /** A connection awaiting its first request. */
    public Connection(HttpLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.heads = new HeadReader(limits);
    }

    /**
     * Adds bytes received from the peer (copied). Cheap; parsing happens in {@link #nextEvent}.
     *
     * @throws LocalProtocolException after {@link #receiveEof}
     */
    public void receiveData(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (eof) {
            throw new LocalProtocolException("receiveData after receiveEof");
        }
        buffer.append(data, offset, length);
    }

    /** The peer closed its sending side. */
    public void receiveEof() {
        eof = true;
    }

    /**
     * The next event from the peer, or {@link Signal#NEED_DATA} / {@link Signal#PAUSED}.
     *
     * @throws RemoteProtocolException when the bytes break HTTP/1.1 (its status says how to answer)
     */
    public Next nextEvent() {
        if (failure != null) {
            throw failure;
        }
        try {
            return switch (states.client()) {
                case IDLE -> states.server() == State.IDLE ? readHead() : Signal.PAUSED;
                case SEND_BODY -> readBody();
                case DONE, MUST_CLOSE -> Signal.PAUSED;
                case CLOSED -> ConnectionClosed.INSTANCE;
                case SEND_RESPONSE, ERROR -> throw new IllegalStateException("client state " + states.client());
            };
        } catch (RemoteProtocolException e) {
            failure = e;
            waitingFor100 = false;
            states.clientErred();
            throw e;
        }
    }

    private Next readHead() {
        HeadParser.Parsed parsed = heads.read(buffer);
        if (parsed == null) {
            if (!eof) {
                return Signal.NEED_DATA;
            }
            if (buffer.isEmpty()) {
                states.client(StateMachine.Step.CONNECTION_CLOSED);
                return ConnectionClosed.INSTANCE;
            }
            throw new RemoteProtocolException("incomplete request: connection closed in the head", 400);
        }
        RequestHead head = parsed.head();
        body = switch (parsed.framing()) {
            case Framing.Length l -> new ContentLengthReader(l.length());
            case Framing.Chunked c -> new ChunkedReader(limits.maxBodyBytes(),
                    limits.maxHeaderBytes() - heads.lastHeadBytes(), limits.maxHeaderCount() - head.fields().size());
            case Framing.UntilClose u -> throw new IllegalStateException("a request is never close-delimited");
            case Framing.Omitted o -> throw new IllegalStateException("a request body is never omitted");
        };
        headRequest = head.method().equals("HEAD");
        peerMinorVersion = head.minorVersion();
        waitingFor100 = parsed.expectsContinue();
        states.client(StateMachine.Step.REQUEST_HEAD);
        if (!parsed.keepAlive()) {
            states.disableKeepAlive();
        }
        return head;
    }

    private Next readBody() {
        Next next = body.read(buffer, eof);
        if (next instanceof BodyData) {
            waitingFor100 = false;
        } else if (next instanceof EndOfMessage) {
            waitingFor100 = false;
            body = null;
            states.client(StateMachine.Step.END_OF_MESSAGE);
        }
        return next;
    }

    /**
     * Serializes one event of our side ({@link InformationalResponse}, {@link ResponseHead},
     * {@link BodyData}, {@link EndOfMessage}) into {@code out}.
     *
     * @throws LocalProtocolException when the event is not allowed in our current state
     */
    public void send(Event event, Output out) {
        Objects.requireNonNull(out, "out");
        try {
            switch (event) {
                case InformationalResponse r -> sendInformational(r, out);
                case ResponseHead r -> sendHead(r, out);
                case BodyData d -> sendBody(d, out);
                case EndOfMessage e -> sendEnd(e, out);
                case RequestHead r -> throw new LocalProtocolException("a server cannot send a request");
                case ConnectionClosed c -> throw new LocalProtocolException("close the socket rather than send ConnectionClosed");
            }
        } catch (LocalProtocolException e) {
            states.serverErred();
            throw e;
        }
    }

    private void sendInformational(InformationalResponse r, Output out) {
        // 101 would switch protocols, which this server does not implement.
        if (r.status() < 100 || r.status() > 199 || r.status() == 101) {
            throw new LocalProtocolException("informational status must be 1xx other than 101, not " + r.status());
        }
        states.server(StateMachine.Step.INFORMATIONAL);
        // RFC 9110 15.2: a server must not send a 1xx response to an HTTP/1.0 client.
        if (peerMinorVersion != 1) {
            throw new LocalProtocolException("1xx responses cannot be sent to an HTTP/1.0 client");
        }
        r.fields().forEach(Serializer::check);
        waitingFor100 = false;
        Serializer.writeHead(r.status(), r.fields(), Framing.OMITTED, null, out);
    }

    private void sendHead(ResponseHead r, Output out) {
        int status = r.status();
        if (status < 200 || status > 599) {
            throw new LocalProtocolException("final response status must be 200 to 599, not " + status);
        }
        Serializer.Inspected fields = Serializer.inspect(r.fields(), r.fieldsChecked());
        states.server(StateMachine.Step.RESPONSE_HEAD);
        Framing framing = Framing.ofResponse(headRequest, status, fields.contentLength(), peerMinorVersion);
        // Keep the connection only if the request was read whole and nothing asks to close it.
        boolean keep = states.keepAlive() && states.client() == State.DONE && !fields.close()
                && framing != Framing.UNTIL_CLOSE && !(eof && buffer.isEmpty());
        if (!keep) {
            states.disableKeepAlive();
        }
        responseFraming = framing;
        responseLength = framing instanceof Framing.Length l ? l.length() : 0;
        responseSent = 0;
        waitingFor100 = false;
        String connection = !keep ? "close" : peerMinorVersion == 0 ? "keep-alive" : null;
        Serializer.writeHead(status, r.fields(), framing, connection, out);
    }

    private void sendBody(BodyData d, Output out) {
        requireSendingBody();
        if (responseFraming instanceof Framing.Length) {
            if (d.data().length > responseLength - responseSent) {
                throw new LocalProtocolException("response body exceeds its Content-Length of " + responseLength);
            }
            responseSent += d.data().length;
        }
        Serializer.writeBody(responseFraming, d.data(), out);
    }

    private void sendEnd(EndOfMessage e, Output out) {
        requireSendingBody();
        if (responseFraming instanceof Framing.Length && responseSent != responseLength) {
            throw new LocalProtocolException("response body has " + responseSent
                    + " bytes but its Content-Length is " + responseLength);
        }
        boolean chunked = responseFraming == Framing.CHUNKED;
        if (!e.trailers().isEmpty() && !chunked && responseFraming != Framing.OMITTED) {
            throw new LocalProtocolException("trailer fields need a chunked response body");
        }
        states.server(StateMachine.Step.END_OF_MESSAGE);
        if (chunked) {
            Serializer.writeLastChunk(e.trailers(), out);
        }
    }

    private void requireSendingBody() {
        if (states.server() != State.SEND_BODY) {
            throw new LocalProtocolException("cannot send body or end of message while our state is " + states.server());
        }
    }

    /** Our side's state (the server's). */
    public State ourState() {
        return states.server();
    }

    /** The peer's state (the client's). */
    public State theirState() {
        return states.client();
    }

    /**
     * Whether the current request asked for {@code Expect: 100-continue}, its body has not
     * started arriving, and no response was sent yet: the server should send 100 before reading.
     */
    public boolean theyAreWaitingFor100Continue() {
        return waitingFor100 && buffer.isEmpty();
    }

    /** Whether some bytes of a next request (or of the current one) are buffered, unparsed. */
    public boolean hasBufferedData() {
        return !buffer.isEmpty();
    }

    /**
     * Resets both sides to {@link State#IDLE} after a completed exchange on a kept connection.
     *
     * @throws LocalProtocolException unless both sides are {@link State#DONE}
     */
    public void startNextCycle() {
        states.startNextCycle();
        headRequest = false;
        peerMinorVersion = -1;
        responseFraming = null;
        waitingFor100 = false;
    }
}
