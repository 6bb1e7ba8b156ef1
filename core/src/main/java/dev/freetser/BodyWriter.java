package dev.freetser;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a streamed response body of unknown length, on the connection's thread. The server
 * sends it chunked to HTTP/1.1 clients and close-delimited to HTTP/1.0 clients; the stream
 * given must not be closed by the writer.
 */
@FunctionalInterface
public interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
}
