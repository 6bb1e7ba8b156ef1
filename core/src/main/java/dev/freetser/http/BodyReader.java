package dev.freetser.http;

/**
 * Reads one request body from the receive buffer, one event per call: {@link BodyData} for the
 * bytes at hand, {@link EndOfMessage} at the end, or {@link Signal#NEED_DATA}. It consumes
 * exactly the body's bytes, so a pipelined next request stays buffered.
 */
sealed interface BodyReader permits ContentLengthReader, ChunkedReader {
    /**
     * @param eof whether the peer has closed its side (nothing more will be appended)
     * @throws RemoteProtocolException when the body is malformed or cut short
     */
    Next read(ReceiveBuffer in, boolean eof);

    static RemoteProtocolException incomplete() {
        return new RemoteProtocolException("incomplete request: connection closed in the body", 400);
    }
}
