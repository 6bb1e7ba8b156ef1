package dev.freetser.storage;

import java.util.List;
import java.util.Optional;

/**
 * Key-value operations on the configured tables, inside the transaction of one routine. Only
 * valid during the routine it was passed to. Times are Unix seconds; an expiration of 0 means
 * never.
 */
public interface Storage {
    Optional<Entry> get(String table, String key);

    Optional<Entry> get(String table, String key, long now);

    void add(String table, String key, byte[] value, long expiresAt);

    void add(String table, String key, byte[] value, long expiresAt, long now);

    boolean update(String table, String key, byte[] value, long counter, long expiresAt);

    boolean delete(String table, String key);

    List<String> listKeys(String table);

    void clear(String table);
}
