package dev.freetser.postgres;

import dev.freetser.postgres.PostgresSession.Query;
import dev.freetser.storage.Entry;
import dev.freetser.storage.EntryAlreadyExistsException;
import dev.freetser.storage.Storage;
import dev.freetser.storage.StorageReadOnlyException;
import dev.freetser.storage.spi.Keys;
import dev.freetser.storage.spi.TableNames;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Storage} operations as SQL on one {@link PostgresSession}, with the same semantics
 * as on SQLite. Arguments are checked before any SQL runs, and table names are looked up in the
 * map of opened tables, so only checked names were ever written into SQL. No statement is ever
 * made to fail on purpose (a duplicate key): on PostgreSQL that would abort the transaction.
 */
final class PostgresStorage implements Storage {
    private final PostgresSession session;
    private final Map<String, Table> tables;
    private final boolean readOnly;

    PostgresStorage(PostgresSession session, List<String> names, boolean readOnly) {
        this(session, tables(names), readOnly);
    }

    private PostgresStorage(PostgresSession session, Map<String, Table> tables, boolean readOnly) {
        this.session = session;
        this.tables = tables;
        this.readOnly = readOnly;
    }

    private static Map<String, Table> tables(List<String> names) {
        Map<String, Table> tables = new LinkedHashMap<>();
        for (String name : names) {
            tables.put(name, Table.of(name));
        }
        return Collections.unmodifiableMap(tables);
    }

    /** The same statements, refusing every change: for read routines run on the storage thread. */
    PostgresStorage readOnlyView() {
        return new PostgresStorage(session, tables, true);
    }

    @Override
    public Optional<Entry> get(String table, String key) {
        Keys.requireKey(key);
        return session.run(table(table).get, get -> {
            get.setString(1, key);
            try (ResultSet row = get.executeQuery()) {
                return row.next() ? Optional.of(new Entry(row.getBytes(1), row.getLong(2), row.getLong(3))) : Optional.empty();
            }
        });
    }

    @Override
    public Optional<Entry> get(String table, String key, long now) {
        Optional<Entry> entry = get(table, key);
        return entry.isPresent() && Keys.expired(entry.get().expiresAt(), now) ? Optional.empty() : entry;
    }

    @Override
    public void add(String table, String key, byte[] value, long expiresAt) {
        Table t = writable(table, "add");
        Keys.requireEntry(key, value, expiresAt);
        if (write(t.insert, statement -> bindEntry(statement, key, value, expiresAt)) == 0) {
            throw new EntryAlreadyExistsException("an entry with this key already exists in table " + table);
        }
    }

    @Override
    public void add(String table, String key, byte[] value, long expiresAt, long now) {
        Table t = writable(table, "add");
        Keys.requireEntry(key, value, expiresAt);
        if (Keys.expired(expiresAt, now)) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " is already past (now " + now + ")");
        }
        if (write(t.replaceExpired, statement -> bindEntry(statement, key, value, expiresAt).setLong(4, now)) == 0) {
            throw new EntryAlreadyExistsException("a live entry with this key already exists in table " + table);
        }
    }

    @Override
    public boolean update(String table, String key, byte[] value, long counter, long expiresAt) {
        Table t = writable(table, "update");
        Keys.requireEntry(key, value, expiresAt);
        return write(t.update, statement -> bindEntry(statement, key, value, expiresAt).setLong(4, counter)) == 1;
    }

    @Override
    public boolean delete(String table, String key) {
        Table t = writable(table, "delete");
        Keys.requireKey(key);
        return write(t.delete, statement -> statement.setString(1, key)) == 1;
    }

    @Override
    public List<String> listKeys(String table) {
        return session.run(table(table).keys, keys -> keys(keys, 128));
    }

    @Override
    public List<String> listKeys(String table, String prefix, String after, int limit, long now) {
        Table t = table(table);
        Keys.requireListing(prefix, after, limit);
        String end = Keys.prefixEnd(prefix);
        return session.run(end == null ? t.pageFrom : t.pageBetween, page -> {
            page.setString(1, prefix);
            page.setString(2, after);
            page.setLong(3, now);
            int next = 4;
            if (end != null) {
                page.setString(next++, end);
            }
            page.setInt(next, limit);
            return keys(page, Math.min(limit, 128));
        });
    }

    @Override
    public long count(String table, long now) {
        return session.run(table(table).count, count -> {
            count.setLong(1, now);
            try (ResultSet row = count.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        });
    }

    @Override
    public void clear(String table) {
        write(writable(table, "clear").clear, statement -> { });
    }

    /** Deletes up to {@code limit} expired entries per table; returns how many went. */
    int purge(long now, int limit) {
        int deleted = 0;
        for (Table t : tables.values()) {
            deleted += session.run(t.purge, purge -> {
                purge.setLong(1, now);
                purge.setInt(2, limit);
                return purge.executeUpdate();
            });
        }
        return deleted;
    }

    private Table table(String name) {
        return TableNames.lookup(tables, name);
    }

    private Table writable(String name, String operation) {
        if (readOnly) {
            throw new StorageReadOnlyException(operation + " changes data: a read() routine may only read; use execute()");
        }
        return table(name);
    }

    /** A binding of a change's parameters. */
    private interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Runs a change, its arguments checked; returns the rows changed. */
    private int write(Query query, Binding binding) {
        int rows = session.run(query, statement -> {
            binding.bind(statement);
            return statement.executeUpdate();
        });
        if (rows > 0) {
            session.changed();
        }
        return rows;
    }

    private static PreparedStatement bindEntry(PreparedStatement statement, String key, byte[] value, long expiresAt)
            throws SQLException {
        statement.setLong(1, expiresAt);
        statement.setBytes(2, value);
        statement.setString(3, key);
        return statement;
    }

    private static List<String> keys(PreparedStatement query, int expected) throws SQLException {
        List<String> list = new ArrayList<>(expected);
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                list.add(rows.getString(1));
            }
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * One table's statements. Changes: ? 1 expiration, 2 value, 3 key, 4 now or counter. Pages:
     * ? 1 prefix, 2 after (or NULL), 3 now, then the prefix's end (if any), then the limit.
     */
    private record Table(Query get, Query insert, Query replaceExpired, Query update, Query delete,
            Query keys, Query pageFrom, Query pageBetween, Query count, Query clear, Query purge) {

        static Table of(String name) {
            String t = TableNames.quoted(name);
            String insert = "INSERT INTO " + t + " AS e (expiration, value, key, counter) VALUES (?, ?, ?, 0) ON CONFLICT (key)";
            // One lower bound, so the index scan starts there. "After ?" is ">= ? || U+0001": no
            // key holds U+0000, so none lies between. The explicit COLLATE makes GREATEST compare
            // bytes; the key's own COLLATE "C" then wins every comparison. Live: not Keys.expired.
            String page = "SELECT key FROM " + t + " WHERE key >= GREATEST(? COLLATE \"C\", ? || chr(1))"
                    + " AND (expiration = 0 OR expiration >= ?)";
            return new Table(
                    new Query("get from table " + name, "SELECT value, counter, expiration FROM " + t + " WHERE key = ?"),
                    new Query("add to table " + name, insert + " DO NOTHING"),
                    new Query("add to table " + name, insert + " DO UPDATE SET counter = 0,"
                            + " expiration = excluded.expiration, value = excluded.value"
                            + " WHERE e.expiration > 0 AND ? > e.expiration"),
                    new Query("update in table " + name, "UPDATE " + t + " SET expiration = ?, value = ?,"
                            + " counter = counter + 1 WHERE key = ? AND counter = ?"),
                    new Query("delete from table " + name, "DELETE FROM " + t + " WHERE key = ?"),
                    new Query("list keys of table " + name, "SELECT key FROM " + t + " ORDER BY key"),
                    new Query("list keys of table " + name, page + " ORDER BY key LIMIT ?"),
                    new Query("list keys of table " + name, page + " AND key < ? ORDER BY key LIMIT ?"),
                    new Query("count entries of table " + name, "SELECT count(*) FROM " + t
                            + " WHERE expiration = 0 OR expiration >= ?"),
                    new Query("clear table " + name, "DELETE FROM " + t),
                    // SKIP LOCKED: rows a routine is changing now are left for the next purge.
                    new Query("purge expired entries of table " + name, "DELETE FROM " + t + " WHERE key IN (SELECT key FROM "
                            + t + " WHERE expiration > 0 AND expiration < ? LIMIT ? FOR UPDATE SKIP LOCKED)"));
        }
    }
}
