/**
 * Internal, may change: the sans-IO HTTP/1.1 core. No sockets, threads or clocks.
 */
package dev.freetser.http;
