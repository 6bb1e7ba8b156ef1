package dev.freetser;

import dev.freetser.storage.Store;

/**
 * Turns one request into one response. Called on the connection's own virtual thread, so a
 * handler may block (on storage, on another service) without holding up other connections. The
 * thread serves every request of that connection and no other: it starts with the connection and
 * ends with it, so a {@link ThreadLocal} a handler sets is seen by later requests of the same
 * connection only.
 *
 * <p>A handler that throws gets a 500 response (an {@link HttpException} chooses its own status)
 * and its connection is closed; the server keeps serving.
 */
@FunctionalInterface
public interface Handler {
    /**
     * @param request the whole request, body included
     * @param store the storage queue given to {@link Server#start}, or {@code null} when none was
     */
    Response handle(Request request, Store store) throws Exception;
}
