package dev.freetser.storage;

import dev.freetser.storage.spi.TableNames;
import dev.freetser.storage.spi.EngineProvider;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * A key-value store: routines run in transactions on its own threads, whatever the engine behind
 * it. What a handler or routine sees is the same on every engine; only how the store is opened
 * differs. Thread-safe.
 *
 * <pre>{@code
 * try (Store store = Store.open("app.db", List.of("USERS"))) {            // embedded SQLite
 * // try (Store store = Store.open("jdbc:postgresql://db/app", List.of("USERS"))) {  // shared PostgreSQL
 *     long counter = store.execute(s -> s.get("USERS", "ada").map(Entry::counter).orElse(-1L));
 * }
 * }</pre>
 */
public interface Store extends AutoCloseable {
    /**
     * Runs the routine in a transaction and returns its result once the transaction has
     * committed. If the routine throws, its changes are rolled back and the same exception object
     * is thrown here. On an engine shared by several processes (PostgreSQL) a routine may run
     * more than once: see {@link Routine}.
     *
     * @throws StorageBusyException  if too many routines are waiting
     * @throws StorageException      if the store is closed or the transaction failed; its
     *                               {@link StorageException#fault()} tells a failure of the store
     *                               from the routine's own
     * @throws IllegalStateException if called from inside a routine (it would wait for itself)
     */
    <T> T execute(Routine<T> routine);

    /**
     * Runs a read-only routine in a read transaction, a snapshot that holds every change whose
     * {@code execute} returned before this call, and returns its result.
     *
     * @throws StorageReadOnlyException thrown by the routine's first attempt to change data
     * @throws StorageBusyException     if too many reads are waiting
     * @throws StorageException         if the store is closed or the database fails
     * @throws IllegalStateException    if called from inside a routine
     */
    <T> T read(Routine<T> routine);

    /** Counters since open; cheap, callable from any thread at any time. */
    StorageStats stats();

    /** Refuses new routines, runs those already queued, closes the database. Idempotent. */
    @Override
    void close();

    /** Opens a store with default options; see {@link #open(String, List, StorageOptions)}. */
    static Store open(String location, List<String> tables) {
        return open(location, tables, StorageOptions.defaults());
    }

    /**
     * Opens the store at the location, creating its tables if missing:
     * <ul>
     * <li>{@code ":memory:"} or a file path: an embedded SQLite database ({@link StorageQueue#open(String, List, StorageOptions)});</li>
     * <li>{@code jdbc:postgresql://host:port/database?user=...}: a PostgreSQL database that
     *     several processes may share, with the {@code dev.freetser:freetser-postgres} artifact
     *     on the class or module path.</li>
     * </ul>
     *
     * @throws IllegalArgumentException if a table name is not an identifier, or the location is a
     *                                  JDBC URL no engine on the path accepts
     * @throws StorageException         if the database cannot be opened or set up
     */
    static Store open(String location, List<String> tables, StorageOptions options) {
        Objects.requireNonNull(location, "location");
        String sqlite = "jdbc:sqlite:";
        if (location.startsWith(sqlite)) {
            return StorageQueue.open(location.substring(sqlite.length()), tables, options);
        }
        if (!location.startsWith("jdbc:")) {
            return StorageQueue.open(location, tables, options);
        }
        List<String> checked = TableNames.check(tables);
        for (EngineProvider provider : ServiceLoader.load(EngineProvider.class, Store.class.getClassLoader())) {
            if (provider.accepts(location)) {
                return StorageQueue.start(provider.engine(location, checked, Objects.requireNonNull(options, "options")), options);
            }
        }
        String scheme = location.substring(0, Math.max(location.indexOf(':', 5), 5));
        throw new IllegalArgumentException("no storage engine for " + scheme + " URLs: for jdbc:postgresql,"
                + " add dev.freetser:freetser-postgres to the class path");
    }
}
