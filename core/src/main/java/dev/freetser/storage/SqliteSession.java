package dev.freetser.storage;

import dev.freetser.storage.spi.TableNames;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import dev.freetser.storage.spi.Session;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * One SQLite connection with its PRAGMAs, tables, transaction statements and {@link SqliteStorage}.
 * Used by one platform thread only (the storage thread or one read thread): the driver's native
 * calls are {@code synchronized native}, and a virtual thread inside them would pin its carrier.
 * The connection is opened NOMUTEX because no other thread ever touches it.
 */
final class SqliteSession implements Session {
    private static final int BUSY_TIMEOUT_MS = 500;
    private static final int CACHE_KIB = 64 * 1024;

    private final Connection connection;
    private final SqliteStorage storage;
    private final SqliteStorage readOnlyStorage;
    private final CachedStatement begin;
    private final CachedStatement commit;
    private final CachedStatement rollback;
    private final RoutineSavepoint savepoint;
    private final List<CachedStatement> purges;
    private final boolean checkpointOnClose;
    /** The writer's background checkpoints; null for readers, {@code :memory:} and no interval. */
    private Checkpointer checkpointer;

    private SqliteSession(Connection connection, List<String> tables, boolean writer, boolean purge) throws SQLException {
        this.connection = connection;
        // In auto-commit mode sqlite-jdbc probes with BEGIN (and COMMIT) after every statement
        // (DB.ensureAutoCommit), about 13% of a small read. With auto-commit off it does not; we
        // end the deferred BEGIN it opens here and issue our own transaction statements, never
        // calling Connection.commit() (which would BEGIN again behind our back).
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("COMMIT");
        }
        this.savepoint = new RoutineSavepoint(connection);
        this.storage = SqliteStorage.prepare(connection, tables, !writer, savepoint);
        this.readOnlyStorage = storage.readOnlyView();
        // BEGIN IMMEDIATE takes the write lock at the start, so a routine never fails half-way
        // with SQLITE_BUSY when it first writes. Readers use a deferred BEGIN: a WAL snapshot.
        this.begin = new CachedStatement(connection, writer ? "BEGIN IMMEDIATE" : "BEGIN");
        this.commit = new CachedStatement(connection, "COMMIT");
        this.rollback = new CachedStatement(connection, "ROLLBACK");
        this.purges = new ArrayList<>();
        if (purge) {
            for (String table : tables) {
                purges.add(new CachedStatement(connection, "DELETE FROM " + TableNames.quoted(table)
                        + " WHERE rowid IN (SELECT rowid FROM " + TableNames.quoted(table)
                        + " WHERE expiration > 0 AND expiration < ?1 LIMIT ?2)", "purging expired entries"));
            }
        }
        this.checkpointOnClose = writer;
    }

    /** The storage thread's connection: creates the database file if missing, then the tables. */
    static SqliteSession openWriter(Path file, List<String> tables, StorageOptions options) {
        Connection connection = connect(file, false);
        boolean purge = !options.purgeInterval().isZero();
        try {
            if (file != null) {
                requireWritable(connection, file); // first: setting up writes too, and would fail less clearly
            }
            setUp(connection, file, tables, options, purge);
            SqliteSession session = new SqliteSession(connection, tables, true, purge);
            long interval = options.sqlite().checkpointInterval().toNanos();
            if (file != null && interval > 0) {
                session.checkpointer = Checkpointer.start(file, interval);
            }
            return session;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw SqliteStorage.failure("opening " + name(file), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static void setUp(Connection connection, Path file, List<String> tables, StorageOptions options, boolean purge)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (file != null) {
                try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                    String journal = mode.next() ? mode.getString(1) : "unknown";
                    if (!"wal".equalsIgnoreCase(journal)) {
                        throw new StorageException("could not switch " + file + " to WAL (journal mode is " + journal + ")");
                    }
                }
                statement.execute("PRAGMA synchronous = " + options.durability().name());
                statement.execute("PRAGMA wal_autocheckpoint = " + options.sqlite().checkpointPages());
            }
            statement.execute("PRAGMA cache_size = -" + CACHE_KIB);
            for (String table : tables) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + TableNames.quoted(table) + " (key TEXT PRIMARY KEY,"
                        + " counter INTEGER NOT NULL, expiration INTEGER NOT NULL, value BLOB NOT NULL) STRICT");
                if (purge) {
                    // Partial index: only expiring rows pay for it, and the purge finds them without a scan.
                    statement.execute("CREATE INDEX IF NOT EXISTS " + TableNames.quoted(table + "-expiring")
                            + " ON " + TableNames.quoted(table) + " (expiration) WHERE expiration > 0");
                }
            }
        }
    }

    /**
     * SQLite opens a file it may not write read-only without a word, and once the tables exist
     * nothing at open writes: every write would fail later. So a change is tried now and rolled
     * back. A database that another process holds locked is writable, only busy: that passes.
     */
    private static void requireWritable(Connection connection, Path file) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try {
                statement.execute("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                if (SqliteFaults.of(SqliteStorage.code(e)) == StorageException.Fault.BUSY) {
                    return;
                }
                throw e;
            }
            try {
                int version;
                try (ResultSet row = statement.executeQuery("PRAGMA user_version")) {
                    version = row.getInt(1);
                }
                statement.execute("PRAGMA user_version = " + version);
            } catch (SQLException e) {
                int code = SqliteStorage.code(e);
                throw new StorageException("cannot write database " + file + ": " + e.getMessage(), SqliteFaults.of(code), code, e);
            } finally {
                rollbackQuietly(statement);
            }
        }
    }

    private static void rollbackQuietly(Statement statement) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite already ended the transaction; what made the probe fail is what to report.
        }
    }

    /** A read-only connection to a database file the writer has already set up. */
    static SqliteSession openReader(Path file, List<String> tables) {
        Connection connection = connect(file, true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA cache_size = -" + CACHE_KIB);
            return new SqliteSession(connection, tables, false, false);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw SqliteStorage.failure("opening a read connection to " + name(file), e);
        }
    }

    static Connection connect(Path file, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        // Otherwise the driver matches every statement against an INSERT pattern and, for each
        // INSERT, prepares and runs "SELECT last_insert_rowid()": keys are text, no row id is wanted.
        config.setGetGeneratedKeys(false);
        config.setReadOnly(readOnly);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        try {
            return DriverManager.getConnection("jdbc:sqlite:" + name(file), config.toProperties());
        } catch (SQLException e) {
            throw SqliteStorage.failure("opening " + name(file), e);
        }
    }

    static String name(Path file) {
        return file == null ? ":memory:" : file.toString();
    }

    @Override
    public SqliteStorage storage() {
        return storage;
    }

    @Override
    public SqliteStorage readOnlyStorage() {
        return readOnlyStorage;
    }

    @Override
    public void begin() {
        begin.execute();
    }

    @Override
    public void commit() {
        commit.execute();
        committed();
    }

    private void committed() {
        if (checkpointer != null) {
            checkpointer.committed();
        }
    }

    /** Arms the routine's savepoint; see {@link RoutineSavepoint}. */
    @Override
    public void startRoutine() {
        savepoint.arm();
    }

    @Override
    public boolean endRoutine(boolean failed) {
        return savepoint.end(failed);
    }

    @Override
    public long checkpoints() {
        Checkpointer c = checkpointer;
        return c == null ? 0 : c.checkpoints();
    }

    /** Ends the transaction if SQLite has not already rolled it back itself; never throws. */
    @Override
    public void rollback() {
        try {
            rollback.execute();
        } catch (StorageException e) {
            // "no transaction is active": SQLite already rolled back (after SQLITE_FULL, IOERR, ...).
        }
    }

    /** Deletes up to {@code limit} expired rows per table in one transaction; returns how many went. */
    @Override
    public int purgeExpired(long now, int limit) {
        begin();
        try {
            int deleted = 0;
            for (CachedStatement purge : purges) {
                deleted += purge.use(statement -> {
                    statement.setLong(1, now);
                    statement.setInt(2, limit);
                    return statement.executeUpdate();
                });
            }
            commit.execute();
            if (deleted > 0) {
                committed();
            }
            return deleted;
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    /** Checkpoints the write-ahead log into the database file (writer only), then closes. */
    @Override
    public void close() {
        if (checkpointer != null) {
            checkpointer.close(); // first: the final checkpoint empties the log only without it
        }
        try {
            if (checkpointOnClose) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
            }
        } catch (SQLException e) {
            throw SqliteStorage.failure("checkpoint at close", e);
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing after a failure: the first failure is the one worth reporting.
        }
    }
}
