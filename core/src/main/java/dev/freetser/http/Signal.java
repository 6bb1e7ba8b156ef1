package dev.freetser.http;

/** The two answers of {@link Connection#nextEvent()} that are not events. */
public enum Signal implements Next {
    /** Feed more bytes (or EOF) before asking again. */
    NEED_DATA,
    /** The request is complete; send the response and call {@link Connection#startNextCycle()}. */
    PAUSED
}
