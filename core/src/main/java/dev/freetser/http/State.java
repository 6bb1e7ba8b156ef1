package dev.freetser.http;

/** The state of one side of a connection (h11's names). */
public enum State {
    IDLE, SEND_BODY, SEND_RESPONSE, DONE, MUST_CLOSE, CLOSED, ERROR
}
