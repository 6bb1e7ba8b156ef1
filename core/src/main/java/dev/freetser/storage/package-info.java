/**
 * The built-in key-value store: SQLite tables run by one storage thread through a
 * {@link dev.freetser.storage.StorageQueue}. Knows nothing of HTTP; usable on its own.
 *
 * <p>Threads: callers (any thread, typically one virtual thread per connection) hand a
 * {@link dev.freetser.storage.Routine} to the queue and wait. The platform thread
 * {@code freetser-storage} owns the only writing connection and runs routines one after the
 * other, several per transaction (group commit, a SAVEPOINT for each routine that writes); the
 * platform threads {@code freetser-read-<n>} own read-only connections and run {@code read}
 * routines on WAL snapshots; the virtual thread {@code freetser-answers} wakes the callers of
 * finished routines. No JDBC call ever runs on a virtual thread.
 */
package dev.freetser.storage;
