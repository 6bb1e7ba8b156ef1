/**
 * Internal, may change: sockets, the accept loop, the per-connection loop and deadlines.
 */
package dev.freetser.server;
