package dev.freetser.http;

import static dev.freetser.http.State.CLOSED;
import static dev.freetser.http.State.DONE;
import static dev.freetser.http.State.ERROR;
import static dev.freetser.http.State.IDLE;
import static dev.freetser.http.State.MUST_CLOSE;
import static dev.freetser.http.State.SEND_BODY;
import static dev.freetser.http.State.SEND_RESPONSE;

/**
 * Both sides' states and every transition between them; nothing else changes a {@link State}.
 * After h11's {@code _state.py}: an event moves the side that sent it (the two switches are the
 * table), then {@link #settle} applies the rules that look at both sides and at keep-alive.
 */
final class StateMachine {
    /** What a side did. */
    enum Step { REQUEST_HEAD, INFORMATIONAL, RESPONSE_HEAD, END_OF_MESSAGE, CONNECTION_CLOSED }

    private State client = IDLE;
    private State server = IDLE;
    private boolean keepAlive = true;

    State client() {
        return client;
    }

    State server() {
        return server;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** The peer did {@code step}; the connection code has already checked it was allowed. */
    void client(Step step) {
        State next = switch (client) {
            case IDLE -> step == Step.REQUEST_HEAD ? SEND_BODY : step == Step.CONNECTION_CLOSED ? CLOSED : null;
            case SEND_BODY -> step == Step.END_OF_MESSAGE ? DONE : null;
            case DONE, MUST_CLOSE, CLOSED -> step == Step.CONNECTION_CLOSED ? CLOSED : null;
            case SEND_RESPONSE, ERROR -> null;
        };
        if (next == null) {
            throw new IllegalStateException("client cannot " + step + " in " + client);
        }
        client = next;
        if (step == Step.REQUEST_HEAD && server == IDLE) {
            server = SEND_RESPONSE; // the one transition one side's event makes for the other
        }
        settle();
    }

    /**
     * We did {@code step}.
     *
     * @throws LocalProtocolException when {@code step} is not allowed in our state
     */
    void server(Step step) {
        State next = switch (server) {
            // From IDLE only an error response (or a 408) with no request: the connection closes after it.
            case IDLE -> step == Step.RESPONSE_HEAD ? SEND_BODY : null;
            case SEND_RESPONSE -> switch (step) {
                case INFORMATIONAL -> SEND_RESPONSE;
                case RESPONSE_HEAD -> SEND_BODY;
                default -> null;
            };
            case SEND_BODY -> step == Step.END_OF_MESSAGE ? DONE : null;
            case DONE, MUST_CLOSE, CLOSED, ERROR -> null;
        };
        if (next == null) {
            throw new LocalProtocolException("cannot send " + step + " while our state is " + server);
        }
        server = next;
        settle();
    }

    /** The response will not let the connection persist (its own "close", or close-delimited). */
    void disableKeepAlive() {
        keepAlive = false;
        settle();
    }

    /** The peer broke the protocol; the connection closes after at most one error response. */
    void clientErred() {
        client = ERROR;
        keepAlive = false;
        settle();
    }

    /** We broke the protocol; nothing more can be sent. */
    void serverErred() {
        server = ERROR;
        keepAlive = false;
        settle();
    }

    /**
     * Both sides back to IDLE for the next request.
     *
     * @throws LocalProtocolException unless both are DONE
     */
    void startNextCycle() {
        if (client != DONE || server != DONE) {
            throw new LocalProtocolException("startNextCycle needs both sides DONE, but client is "
                    + client + " and server is " + server);
        }
        client = IDLE;
        server = IDLE;
    }

    private void settle() {
        // A response finished before the request body was read: the rest of the body would be
        // taken for the next request, so the connection cannot be reused.
        if (server == DONE && client != DONE) {
            keepAlive = false;
        }
        // A peer that closed gets no more responses.
        if (client == CLOSED && (server == IDLE || server == DONE)) {
            server = MUST_CLOSE;
        }
        if (!keepAlive) {
            if (client == DONE) {
                client = MUST_CLOSE;
            }
            if (server == DONE) {
                server = MUST_CLOSE;
            }
        }
    }
}
