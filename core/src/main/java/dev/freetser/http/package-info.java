/**
 * Internal, may change: the sans-IO HTTP/1.1 core. No sockets, threads or clocks: bytes in,
 * events out, events in, bytes out, so every rule of RFC 9112 is a unit test on byte arrays.
 *
 * <h2>Theory of operation</h2>
 *
 * <p>A {@link dev.freetser.http.Connection} is the server end of one connection. The socket
 * loop feeds it what it reads ({@code receiveData}, {@code receiveEof}) and asks for the next
 * {@link dev.freetser.http.Event} ({@code nextEvent}): a {@link dev.freetser.http.RequestHead},
 * {@link dev.freetser.http.BodyData} pieces, an {@link dev.freetser.http.EndOfMessage}, or
 * {@link dev.freetser.http.ConnectionClosed}; or a {@link dev.freetser.http.Signal} saying to
 * read more ({@code NEED_DATA}) or to answer first ({@code PAUSED}). It answers with
 * {@code send}, which turns response events into bytes in an {@link dev.freetser.http.Output},
 * and after a kept exchange calls {@code startNextCycle}.
 *
 * <p>Each side, client and server, has a {@link dev.freetser.http.State}. Events move the side
 * that sent them; a few rules then look at both sides at once (a request moves the server to
 * SEND_RESPONSE; a side DONE without keep-alive becomes MUST_CLOSE; a peer that closed leaves
 * us nothing to answer). All of it lives in {@code StateMachine}, nowhere else, as h11's
 * {@code _state.py} does. Keep-alive is decided once per exchange from the request's version
 * and Connection field, our response's Connection field and framing, and whether the request
 * was read whole before the response.
 *
 * <pre>
 *   client (the peer)
 *
 *   IDLE --RequestHead--> SEND_BODY --EndOfMessage--> DONE --no keep-alive--> MUST_CLOSE
 *    |
 *    +--EOF--> CLOSED
 *
 *   server (us)
 *
 *   IDLE --their RequestHead--> SEND_RESPONSE --+
 *    |                              |   ^       | InformationalResponse
 *    | ResponseHead with no         |   +-------+
 *    | request (408, errors)        | ResponseHead
 *    |                              v
 *    +------------------------> SEND_BODY --EndOfMessage--> DONE --no keep-alive--> MUST_CLOSE
 *
 *   Both DONE: startNextCycle() sets both to IDLE. A peer that closed makes our IDLE or DONE
 *   MUST_CLOSE. A protocol error sets that side to ERROR and ends keep-alive.
 * </pre>
 *
 * <p>Reading: {@code ReceiveBuffer} holds unparsed bytes and remembers how far it searched for
 * the end of a line or head, so bytes trickling in cost linear time. {@code HeadReader} finds
 * the head and enforces the head limits while it is incomplete; {@code HeadParser} parses it in
 * one pass over the bytes; {@code Framing.ofRequest} decides the body framing in one place;
 * {@code ContentLengthReader} or {@code ChunkedReader} read the body. Every fault becomes a
 * {@link dev.freetser.http.RemoteProtocolException} carrying the status to answer; after it, one
 * error response may still be sent, with {@code Connection: close}.
 *
 * <p>Writing: {@code Framing.ofResponse} picks Content-Length, chunked, close-delimited or no
 * body; {@code Serializer} writes the bytes. Misuse (wrong order, a body longer than its
 * Content-Length, a field with CR or LF) is a {@link dev.freetser.http.LocalProtocolException}.
 *
 * <p>Nothing here has been tuned beyond the obvious (one scan per byte, table lookups, no
 * regex, shared strings for common methods); {@code bench/} holds a JMH benchmark to measure it.
 *
 * <h2>h11 names and ours</h2>
 *
 * <table>
 * <caption>python-hyper/h11 to dev.freetser.http</caption>
 * <tr><th>h11</th><th>here</th></tr>
 * <tr><td>{@code Connection(our_role=SERVER)}</td><td>{@code Connection} (server side only)</td></tr>
 * <tr><td>{@code receive_data(data)}; {@code receive_data(b"")} for EOF</td><td>{@code receiveData}; {@code receiveEof}</td></tr>
 * <tr><td>{@code next_event()}, {@code NEED_DATA}, {@code PAUSED}</td><td>{@code nextEvent()}, {@code Signal.NEED_DATA}, {@code Signal.PAUSED}</td></tr>
 * <tr><td>{@code send(event)} returning bytes</td><td>{@code send(event, out)} appending to an {@code Output}</td></tr>
 * <tr><td>{@code start_next_cycle()}</td><td>{@code startNextCycle()}</td></tr>
 * <tr><td>{@code our_state}, {@code their_state}</td><td>{@code ourState()}, {@code theirState()}</td></tr>
 * <tr><td>{@code they_are_waiting_for_100_continue}</td><td>{@code theyAreWaitingFor100Continue()}</td></tr>
 * <tr><td>{@code Request}, {@code Response}, {@code InformationalResponse}</td><td>{@code RequestHead}, {@code ResponseHead}, {@code InformationalResponse}</td></tr>
 * <tr><td>{@code Data}, {@code EndOfMessage}, {@code ConnectionClosed}</td><td>{@code BodyData}, {@code EndOfMessage}, {@code ConnectionClosed}</td></tr>
 * <tr><td>{@code _state.py ConnectionState}</td><td>{@code StateMachine}</td></tr>
 * <tr><td>{@code _receivebuffer.py ReceiveBuffer}</td><td>{@code ReceiveBuffer}</td></tr>
 * <tr><td>{@code _readers.py} request line and headers</td><td>{@code HeadReader}, {@code HeadParser}</td></tr>
 * <tr><td>{@code ContentLengthReader}, {@code ChunkedReader}</td><td>the same names</td></tr>
 * <tr><td>{@code _connection.py _body_framing}</td><td>{@code Framing.ofRequest}, {@code Framing.ofResponse}</td></tr>
 * <tr><td>{@code _writers.py}</td><td>{@code Serializer}</td></tr>
 * <tr><td>{@code LocalProtocolError}, {@code RemoteProtocolError}, {@code error_status_hint}</td><td>{@code LocalProtocolException}, {@code RemoteProtocolException}, {@code status()}</td></tr>
 * <tr><td>{@code max_incomplete_event_size}</td><td>{@code HttpLimits} (head, target, field count, body)</td></tr>
 * </table>
 *
 * <p>Deliberate differences from h11: HTTP/1.0 connections persist when asked to
 * ({@code Connection: keep-alive}); line endings must be CRLF (h11 accepts a bare LF); a body
 * coding other than chunked is refused rather than passed through; no protocol switching (101,
 * CONNECT); {@code nextEvent} stays {@code PAUSED} from the end of a request until
 * {@code startNextCycle}, and a remote error is thrown again on every later call.
 */
package dev.freetser.http;
