package dev.freetser.http;

/** Something that happened on a connection, in either direction. Events are immutable values. */
public sealed interface Event extends Next
        permits RequestHead, InformationalResponse, ResponseHead, BodyData, EndOfMessage, ConnectionClosed {
}
