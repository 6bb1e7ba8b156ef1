package dev.freetser.storage;

import java.util.List;
import java.util.Optional;

/**
 * Key-value operations on the configured tables, inside the transaction of one routine. Only
 * valid during the routine it was passed to, on the thread running it. Times are Unix seconds;
 * an expiration of 0 means never.
 *
 * <p>Every method throws {@link IllegalArgumentException} for a table that was not given to
 * {@code open} (the name never reaches SQL), {@link StorageReadOnlyException} for a change
 * inside {@link StorageQueue#read}, and {@link StorageException} (with SQLite's code) when the
 * database fails. Keys and values must not be null.
 */
public interface Storage {
    /** The entry under the key, expired or not, or empty. */
    Optional<Entry> get(String table, String key);

    /** The entry under the key, or empty when there is none or it has expired (now > expiresAt > 0). */
    Optional<Entry> get(String table, String key, long now);

    /**
     * Inserts a new entry with counter 0.
     *
     * @throws EntryAlreadyExistsException if the key exists, even if its entry has expired
     * @throws IllegalArgumentException    if {@code expiresAt} is negative
     */
    void add(String table, String key, byte[] value, long expiresAt);

    /**
     * Inserts a new entry with counter 0, replacing an entry under the key that has expired.
     *
     * @throws EntryAlreadyExistsException if a live entry exists under the key
     * @throws IllegalArgumentException    if {@code expiresAt} is negative or already past
     *                                     ({@code now > expiresAt > 0})
     */
    void add(String table, String key, byte[] value, long expiresAt, long now);

    /**
     * Replaces the value and expiration and increments the counter, only when the stored counter
     * equals {@code counter}: the optimistic check for a read in one routine and a write in a
     * later one.
     *
     * @return whether the entry was updated (false: no such key, or another update came first)
     */
    boolean update(String table, String key, byte[] value, long counter, long expiresAt);

    /** Deletes the entry; returns whether there was one. */
    boolean delete(String table, String key);

    /** The most keys one {@link #listKeys(String, String, String, int, long)} call returns. */
    int MAX_LIST_LIMIT = 10_000;

    /**
     * Every key of the table, expired or not, in SQLite's binary (UTF-8 byte) order. Loads the
     * whole table's keys: for large tables page with {@link #listKeys(String, String, String, int, long)}.
     */
    List<String> listKeys(String table);

    /**
     * Up to {@code limit} keys of live entries (not expired at {@code now}) that start with
     * {@code prefix} and sort strictly after {@code after}, in binary (UTF-8 byte) order. The
     * range, the expiry check and the limit are applied by SQLite on the key index, so the cost
     * follows the limit, not the table (expired entries inside the range, until purged, are
     * skipped there too). Pages: pass the last key of one page as {@code after} of the next; a
     * page shorter than {@code limit} is the last.
     *
     * @param prefix only keys starting with it; {@code ""} for all
     * @param after  only keys after it (itself excluded), or {@code null} to start at the first
     * @throws IllegalArgumentException if {@code limit} is not from 1 to {@link #MAX_LIST_LIMIT},
     *                                  or {@code prefix} or {@code after} holds a lone surrogate
     *                                  (it has no UTF-8 form to compare)
     */
    List<String> listKeys(String table, String prefix, String after, int limit, long now);

    /** How many live entries (not expired at {@code now}) the table holds; visits every row. */
    long count(String table, long now);

    /** Deletes every entry of the table. */
    void clear(String table);
}
