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
import dev.freetser.storage.spi.Keys;
import dev.freetser.storage.spi.TableNames;
import org.sqlite.SQLiteException;

/**
 * The {@link Storage} operations as SQL on one SQLite connection, with each table's statements
 * prepared once and kept (see {@link CachedStatement}). Confined to the thread that owns the connection. Table names are looked up in
 * the map of opened tables, so only checked names were ever written into the SQL.
 */
final class SqliteStorage implements Storage {
    private static final byte[] EMPTY = new byte[0];

    private final Connection connection;
    private final Map<String, Table> tables;
    private final boolean readOnly;
    private final RoutineSavepoint savepoint;

    private SqliteStorage(Connection connection, Map<String, Table> tables, boolean readOnly, RoutineSavepoint savepoint) {
        this.connection = connection;
        this.tables = tables;
        this.readOnly = readOnly;
        this.savepoint = savepoint;
    }

    /**
     * Prepares the statements of every table (so a table with another shape fails here, at open).
     * Every change first calls {@code savepoint.beforeWrite()}.
     */
    static SqliteStorage prepare(Connection connection, List<String> names, boolean readOnly, RoutineSavepoint savepoint)
            throws SQLException {
        Map<String, Table> tables = new LinkedHashMap<>();
        for (String name : names) {
            tables.put(name, Table.prepare(connection, name));
        }
        return new SqliteStorage(connection, Collections.unmodifiableMap(tables), readOnly, savepoint);
    }

    /** The same statements, refusing every change: for read routines run on the storage thread. */
    SqliteStorage readOnlyView() {
        return new SqliteStorage(connection, tables, true, savepoint);
    }

    /**
     * The connection, for tests that need to stage a failure SQLite would otherwise rarely show.
     * Whoever holds it may write, so the routine's savepoint opens now.
     */
    Connection connection() {
        savepoint.beforeWrite();
        return connection;
    }

    @Override
    public Optional<Entry> get(String table, String key) {
        Keys.requireKey(key);
        CachedStatement statement = table(table).get;
        return statement.use(get -> {
            get.setString(1, key);
            try (ResultSet row = statement.executeQuery(get)) {
                if (!row.next()) {
                    return Optional.empty();
                }
                byte[] value = row.getBytes(1);
                return Optional.of(new Entry(value == null ? EMPTY : value, row.getLong(2), row.getLong(3)));
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
        CachedStatement insert = writable(table, "add").insert;
        Keys.requireEntry(key, value, expiresAt);
        try {
            insert.use(statement -> {
                bindEntry(statement, key, value, expiresAt);
                return statement.executeUpdate();
            });
        } catch (StorageException e) {
            if (e.code() == EntryAlreadyExistsException.SQLITE_CONSTRAINT_PRIMARYKEY) {
                throw new EntryAlreadyExistsException("an entry with this key already exists in table " + table, e.getCause());
            }
            throw e;
        }
    }

    @Override
    public void add(String table, String key, byte[] value, long expiresAt, long now) {
        CachedStatement replace = writable(table, "add").replaceExpired;
        Keys.requireEntry(key, value, expiresAt);
        if (Keys.expired(expiresAt, now)) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " is already past (now " + now + ")");
        }
        int changed = replace.use(statement -> {
            bindEntry(statement, key, value, expiresAt);
            statement.setLong(4, now);
            return statement.executeUpdate();
        });
        if (changed == 0) {
            throw new EntryAlreadyExistsException("a live entry with this key already exists in table " + table);
        }
    }

    @Override
    public boolean update(String table, String key, byte[] value, long counter, long expiresAt) {
        CachedStatement update = writable(table, "update").update;
        Keys.requireEntry(key, value, expiresAt);
        return update.use(statement -> {
            bindEntry(statement, key, value, expiresAt);
            statement.setLong(4, counter);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean delete(String table, String key) {
        CachedStatement delete = writable(table, "delete").delete;
        Keys.requireKey(key);
        return delete.use(statement -> {
            statement.setString(1, key);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public List<String> listKeys(String table) {
        CachedStatement statement = table(table).keys;
        return statement.use(keys -> {
            List<String> list = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(keys)) {
                while (rows.next()) {
                    list.add(rows.getString(1));
                }
            }
            return Collections.unmodifiableList(list);
        });
    }

    @Override
    public List<String> listKeys(String table, String prefix, String after, int limit, long now) {
        Table t = table(table);
        Keys.requireListing(prefix, after, limit);
        String end = Keys.prefixEnd(prefix);
        CachedStatement statement = end == null ? t.pageFrom : t.pageBetween;
        return statement.use(page -> {
            page.setString(1, prefix);
            page.setString(2, after);
            page.setLong(3, now);
            page.setInt(4, limit);
            if (end != null) {
                page.setString(5, end);
            }
            List<String> list = new ArrayList<>(Math.min(limit, 128));
            try (ResultSet rows = statement.executeQuery(page)) {
                while (rows.next()) {
                    list.add(rows.getString(1));
                }
            }
            return Collections.unmodifiableList(list);
        });
    }

    @Override
    public long count(String table, long now) {
        CachedStatement statement = table(table).count;
        return statement.use(count -> {
            count.setLong(1, now);
            try (ResultSet row = statement.executeQuery(count)) {
                return row.next() ? row.getLong(1) : 0;
            }
        });
    }

    @Override
    public void clear(String table) {
        writable(table, "clear").clear.use(PreparedStatement::executeUpdate);
    }

    /** A StorageException with SQLite's extended result code and its fault; the message names the action, never a key or value. */
    static StorageException failure(String action, SQLException e) {
        int code = code(e);
        return new StorageException(action + " failed: " + e.getMessage(), SqliteFaults.of(code), code, e);
    }

    static int code(SQLException e) {
        if (e instanceof SQLiteException sqlite && sqlite.getResultCode().code > 0) {
            return sqlite.getResultCode().code;
        }
        return e.getErrorCode();
    }

    private Table table(String name) {
        return TableNames.lookup(tables, name);
    }

    private Table writable(String name, String operation) {
        if (readOnly) {
            throw new StorageReadOnlyException(operation + " changes data: a read() routine may only read; use execute()");
        }
        Table table = table(name);
        savepoint.beforeWrite();
        return table;
    }

    private static void bindEntry(PreparedStatement statement, String key, byte[] value, long expiresAt) throws SQLException {
        statement.setBytes(1, value);
        statement.setLong(2, expiresAt);
        statement.setString(3, key);
    }

    /**
     * One table's statements. Writes: ?1 value, ?2 expiration, ?3 key, ?4 counter or now. Pages:
     * ?1 prefix, ?2 after (or NULL), ?3 now, ?4 limit, ?5 the prefix's end.
     */
    private record Table(
            CachedStatement get,
            CachedStatement insert,
            CachedStatement replaceExpired,
            CachedStatement update,
            CachedStatement delete,
            CachedStatement keys,
            CachedStatement pageFrom,
            CachedStatement pageBetween,
            CachedStatement count,
            CachedStatement clear) {

        static Table prepare(Connection c, String name) throws SQLException {
            String t = TableNames.quoted(name);
            String insert = "INSERT INTO " + t + " (key, counter, expiration, value) VALUES (?3, 0, ?2, ?1)";
            // One lower bound, so SQLite starts the index scan there: "after ?2" is ">= ?2 || NUL",
            // the least string above it in byte order. Live: the negation of Keys.expired.
            String page = "SELECT key FROM " + t + " WHERE key >= max(?1, ifnull(?2 || char(0), ?1))"
                    + " AND (expiration = 0 OR expiration >= ?3)";
            return new Table(
                    new CachedStatement(c, "SELECT value, counter, expiration FROM " + t + " WHERE key = ?1", "get from table " + name),
                    new CachedStatement(c, insert, "add to table " + name),
                    // In DO UPDATE, bare column names are the stored row's; excluded.* the new one's.
                    new CachedStatement(c, insert + " ON CONFLICT (key) DO UPDATE SET counter = 0,"
                            + " expiration = excluded.expiration, value = excluded.value"
                            + " WHERE expiration > 0 AND ?4 > expiration", "add to table " + name),
                    new CachedStatement(c, "UPDATE " + t + " SET value = ?1, expiration = ?2, counter = counter + 1"
                            + " WHERE key = ?3 AND counter = ?4", "update in table " + name),
                    new CachedStatement(c, "DELETE FROM " + t + " WHERE key = ?1", "delete from table " + name),
                    new CachedStatement(c, "SELECT key FROM " + t + " ORDER BY key", "list keys of table " + name),
                    new CachedStatement(c, page + " ORDER BY key LIMIT ?4", "list keys of table " + name),
                    new CachedStatement(c, page + " AND key < ?5 ORDER BY key LIMIT ?4", "list keys of table " + name),
                    new CachedStatement(c, "SELECT count(*) FROM " + t + " WHERE expiration = 0 OR expiration >= ?1",
                            "count entries of table " + name),
                    new CachedStatement(c, "DELETE FROM " + t, "clear table " + name));
        }
    }
}
