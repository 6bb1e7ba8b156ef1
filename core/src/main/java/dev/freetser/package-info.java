/**
 * freetser's public API: {@link dev.freetser.Server} listens and runs one virtual thread per
 * connection, calling a {@link dev.freetser.Handler} with each {@link dev.freetser.Request} and
 * writing the {@link dev.freetser.Response} it returns.
 */
package dev.freetser;
