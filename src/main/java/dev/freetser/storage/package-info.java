/**
 * The built-in key-value store: SQLite tables run by one storage thread through a
 * {@link dev.freetser.storage.StorageQueue}. Knows nothing of HTTP; usable on its own.
 */
package dev.freetser.storage;
