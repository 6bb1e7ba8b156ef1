package dev.freetser.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteException;

/**
 * The {@link Storage} operations as SQL on one SQLite connection, with each table's statements
 * prepared once. Confined to the thread that owns the connection. Table names are looked up in
 * the map of opened tables, so only checked names were ever written into the SQL.
 */
final class SqliteStorage implements Storage {
    private static final byte[] EMPTY = new byte[0];

    private final Connection connection;
    private final Map<String, Table> tables;
    private final boolean readOnly;

    private SqliteStorage(Connection connection, Map<String, Table> tables, boolean readOnly) {
        this.connection = connection;
        this.tables = tables;
        this.readOnly = readOnly;
    }

    /** Prepares the statements of every table (so a table with another shape fails here, at open). */
    static SqliteStorage prepare(Connection connection, List<String> names, boolean readOnly) throws SQLException {
        Map<String, Table> tables = new LinkedHashMap<>();
        for (String name : names) {
            tables.put(name, Table.prepare(connection, name));
        }
        return new SqliteStorage(connection, Collections.unmodifiableMap(tables), readOnly);
    }

    /** The same statements, refusing every change: for read routines run on the storage thread. */
    SqliteStorage readOnlyView() {
        return new SqliteStorage(connection, tables, true);
    }

    /** The connection, for tests that need to stage a failure SQLite would otherwise rarely show. */
    Connection connection() {
        return connection;
    }

    @Override
    public Optional<Entry> get(String table, String key) {
        PreparedStatement get = table(table).get;
        try {
            get.setString(1, Objects.requireNonNull(key, "key"));
            try (ResultSet row = get.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                byte[] value = row.getBytes(1);
                return Optional.of(new Entry(value == null ? EMPTY : value, row.getLong(2), row.getLong(3)));
            }
        } catch (SQLException e) {
            throw failure("get from table " + table, e);
        }
    }

    @Override
    public Optional<Entry> get(String table, String key, long now) {
        Optional<Entry> entry = get(table, key);
        return entry.isPresent() && expired(entry.get().expiresAt(), now) ? Optional.empty() : entry;
    }

    @Override
    public void add(String table, String key, byte[] value, long expiresAt) {
        PreparedStatement insert = writable(table, "add").insert;
        try {
            bindEntry(insert, key, value, requireExpiration(expiresAt));
            insert.executeUpdate();
        } catch (SQLException e) {
            if (code(e) == EntryAlreadyExistsException.SQLITE_CONSTRAINT_PRIMARYKEY) {
                throw new EntryAlreadyExistsException("an entry with this key already exists in table " + table, e);
            }
            throw failure("add to table " + table, e);
        }
    }

    @Override
    public void add(String table, String key, byte[] value, long expiresAt, long now) {
        PreparedStatement replace = writable(table, "add").replaceExpired;
        if (expired(requireExpiration(expiresAt), now)) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " is already past (now " + now + ")");
        }
        int changed;
        try {
            bindEntry(replace, key, value, expiresAt);
            replace.setLong(4, now);
            changed = replace.executeUpdate();
        } catch (SQLException e) {
            throw failure("add to table " + table, e);
        }
        if (changed == 0) {
            throw new EntryAlreadyExistsException("a live entry with this key already exists in table " + table);
        }
    }

    @Override
    public boolean update(String table, String key, byte[] value, long counter, long expiresAt) {
        PreparedStatement update = writable(table, "update").update;
        try {
            bindEntry(update, key, value, requireExpiration(expiresAt));
            update.setLong(4, counter);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("update in table " + table, e);
        }
    }

    @Override
    public boolean delete(String table, String key) {
        PreparedStatement delete = writable(table, "delete").delete;
        try {
            delete.setString(1, Objects.requireNonNull(key, "key"));
            return delete.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("delete from table " + table, e);
        }
    }

    @Override
    public List<String> listKeys(String table) {
        PreparedStatement keys = table(table).keys;
        try (ResultSet rows = keys.executeQuery()) {
            List<String> list = new ArrayList<>();
            while (rows.next()) {
                list.add(rows.getString(1));
            }
            return Collections.unmodifiableList(list);
        } catch (SQLException e) {
            throw failure("list keys of table " + table, e);
        }
    }

    @Override
    public void clear(String table) {
        PreparedStatement clear = writable(table, "clear").clear;
        try {
            clear.executeUpdate();
        } catch (SQLException e) {
            throw failure("clear table " + table, e);
        }
    }

    /** A StorageException with SQLite's extended result code; the message names the action, never a key or value. */
    static StorageException failure(String action, SQLException e) {
        return new StorageException(action + " failed: " + e.getMessage(), code(e), e);
    }

    static int code(SQLException e) {
        if (e instanceof SQLiteException sqlite && sqlite.getResultCode().code > 0) {
            return sqlite.getResultCode().code;
        }
        return e.getErrorCode();
    }

    static boolean expired(long expiresAt, long now) {
        return expiresAt > 0 && now > expiresAt;
    }

    private Table table(String name) {
        Table table = tables.get(name);
        if (table == null) {
            throw TableNames.unknown(name, tables.keySet());
        }
        return table;
    }

    private Table writable(String name, String operation) {
        if (readOnly) {
            throw new StorageReadOnlyException(operation + " changes data: a read() routine may only read; use execute()");
        }
        return table(name);
    }

    private static long requireExpiration(long expiresAt) {
        if (expiresAt < 0) {
            throw new IllegalArgumentException("expiresAt must be 0 (never) or a Unix time in seconds, was " + expiresAt);
        }
        return expiresAt;
    }

    private static void bindEntry(PreparedStatement statement, String key, byte[] value, long expiresAt) throws SQLException {
        statement.setBytes(1, Objects.requireNonNull(value, "value"));
        statement.setLong(2, expiresAt);
        statement.setString(3, Objects.requireNonNull(key, "key"));
    }

    /** One table's statements. Parameters ?1 value, ?2 expiration, ?3 key, ?4 counter or now. */
    private record Table(
            PreparedStatement get,
            PreparedStatement insert,
            PreparedStatement replaceExpired,
            PreparedStatement update,
            PreparedStatement delete,
            PreparedStatement keys,
            PreparedStatement clear) {

        static Table prepare(Connection c, String name) throws SQLException {
            String t = TableNames.quoted(name);
            String insert = "INSERT INTO " + t + " (key, counter, expiration, value) VALUES (?3, 0, ?2, ?1)";
            return new Table(
                    c.prepareStatement("SELECT value, counter, expiration FROM " + t + " WHERE key = ?1"),
                    c.prepareStatement(insert),
                    // In DO UPDATE, bare column names are the stored row's; excluded.* the new one's.
                    c.prepareStatement(insert + " ON CONFLICT (key) DO UPDATE SET counter = 0,"
                            + " expiration = excluded.expiration, value = excluded.value"
                            + " WHERE expiration > 0 AND ?4 > expiration"),
                    c.prepareStatement("UPDATE " + t + " SET value = ?1, expiration = ?2, counter = counter + 1"
                            + " WHERE key = ?3 AND counter = ?4"),
                    c.prepareStatement("DELETE FROM " + t + " WHERE key = ?1"),
                    c.prepareStatement("SELECT key FROM " + t + " ORDER BY key"),
                    c.prepareStatement("DELETE FROM " + t));
        }
    }
}
