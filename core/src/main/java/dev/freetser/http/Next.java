package dev.freetser.http;

/** What {@link Connection#nextEvent()} answers: an {@link Event} or a {@link Signal}. */
public sealed interface Next permits Event, Signal {
}
