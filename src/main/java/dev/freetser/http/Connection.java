package dev.freetser.http;

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
 * from 1xx and 204 responses.
 *
 * <p>After {@link #nextEvent} threw a {@link RemoteProtocolException}, one error response may
 * still be sent (their state is {@link State#ERROR}); the connection then must close.
 */
public final class Connection {

    /** A connection awaiting its first request. */
    public Connection(HttpLimits limits) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Adds bytes received from the peer (copied). Cheap; parsing happens in {@link #nextEvent}.
     *
     * @throws LocalProtocolException after {@link #receiveEof}
     */
    public void receiveData(byte[] data, int offset, int length) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The peer closed its sending side. */
    public void receiveEof() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * The next event from the peer, or {@link Signal#NEED_DATA} / {@link Signal#PAUSED}.
     *
     * @throws RemoteProtocolException when the bytes break HTTP/1.1 (its status says how to answer)
     */
    public Next nextEvent() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Serializes one event of our side ({@link InformationalResponse}, {@link ResponseHead},
     * {@link BodyData}, {@link EndOfMessage}) into {@code out}.
     *
     * @throws LocalProtocolException when the event is not allowed in our current state
     */
    public void send(Event event, Output out) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Our side's state (the server's). */
    public State ourState() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The peer's state (the client's). */
    public State theirState() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Whether the current request asked for {@code Expect: 100-continue}, its body has not
     * started arriving, and no response was sent yet: the server should send 100 before reading.
     */
    public boolean theyAreWaitingFor100Continue() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Whether some bytes of a next request (or of the current one) are buffered, unparsed. */
    public boolean hasBufferedData() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Resets both sides to {@link State#IDLE} after a completed exchange on a kept connection.
     *
     * @throws LocalProtocolException unless both sides are {@link State#DONE}
     */
    public void startNextCycle() {
        throw new UnsupportedOperationException("not yet");
    }
}
