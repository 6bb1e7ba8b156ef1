package dev.freetser.postgres;

import dev.freetser.storage.CommitUnknownException;
import dev.freetser.storage.Durability;
import dev.freetser.storage.StorageException;
import dev.freetser.storage.StorageException.Fault;
import dev.freetser.storage.spi.Session;
import dev.freetser.storage.spi.TableNames;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.util.PSQLException;

/**
 * One PostgreSQL connection with its settings, prepared statements and {@link PostgresStorage},
 * used by one platform thread. The writer's transactions are SERIALIZABLE, a reader's REPEATABLE
 * READ, READ ONLY (a snapshot). A connection found lost is replaced: at once when the first
 * statement of a transaction finds it (nothing of the transaction can have happened), else at
 * the next {@link #begin}.
 *
 * <p>Unlike SQLite, PostgreSQL aborts the whole transaction when a statement fails, unless a
 * savepoint is open to roll back to. Such a failure is kept as {@link #lost}: {@link #endRoutine}
 * and {@link #commit} throw it rather than go on in a transaction that can only roll back.
 *
 * <p>Routines of a batch get no savepoint: one would cost a round trip to the server for every
 * routine that writes, to undo the rare one that throws after changing rows. Instead such a
 * routine, or one whose statement failed, makes {@link #endRoutine} throw {@link RunAlone}, which the
 * storage loop reruns like a conflict: the batch's routines one per transaction, where each
 * fails or commits alone.
 */
final class PostgresSession implements Session {
    /** Held while tables are created, so that processes starting together do not race in the catalog. */
    private static final long SETUP_LOCK = 0x6672_6565_7473_6572L; // "freetser"

    /** A statement's SQL and what it does, for failure messages ("get from table USERS"). */
    record Query(String action, String sql) {
        Query(String sql) {
            this(sql, sql);
        }
    }

    /** A body that binds and runs the statement. */
    interface Body<R> {
        R apply(PreparedStatement statement) throws SQLException;
    }

    /** A routine of a batch failed with changes to undo: the batch is rolled back and run one routine per transaction. */
    static final class RunAlone extends RuntimeException {
        RunAlone() {
            super("a routine of the batch failed after a change; its transaction is rolled back", null, false, false);
        }
    }

    private final PostgresEngine engine;
    private final boolean writer;
    private final PostgresStorage storage;
    private final PostgresStorage readOnlyStorage;
    /** Locks out other writers of the tables; sorted, so that stores naming them in another order cannot deadlock. */
    private final Query lockTables;
    /** By SQL text, on the current connection; pgjdbc prepares them on the server after a few uses. */
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private Connection connection;
    /** The connection was lost: the next {@link #begin} connects again. */
    private boolean broken;
    /** No statement has run yet in this transaction. */
    private boolean fresh = true;
    /** The routine of a batch now running has changed data. */
    private boolean wrote;
    /** The first failed statement this transaction has not rolled back to a savepoint, or null. */
    private StorageException lost;
    /** The last transaction conflicted with another: the next one first locks the tables (see {@link #begin}). */
    private boolean conflicted;

    private PostgresSession(PostgresEngine engine, boolean writer) {
        this.engine = engine;
        this.writer = writer;
        this.connection = connect();
        this.storage = new PostgresStorage(this, engine.tables(), !writer);
        this.readOnlyStorage = writer ? storage.readOnlyView() : storage;
        this.lockTables = new Query("LOCK TABLE " + String.join(", ", engine.tables().stream().sorted()
                .map(TableNames::quoted).toList()) + " IN SHARE ROW EXCLUSIVE MODE");
    }

    /** The storage thread's session: creates the tables if missing. */
    static PostgresSession openWriter(PostgresEngine engine) {
        PostgresSession session = new PostgresSession(engine, true);
        try {
            session.createTables();
            return session;
        } catch (SQLException e) {
            session.close();
            throw failure("creating the tables in " + engine.name(), e);
        }
    }

    /** A read thread's session. */
    static PostgresSession openReader(PostgresEngine engine) {
        return new PostgresSession(engine, false);
    }

    private Connection connect() {
        Connection c = null;
        try {
            c = DriverManager.getConnection(engine.url());
            try (Statement statement = c.createStatement()) {
                // Otherwise a lock wait lasts until deadlock_timeout (1 s) finds no deadlock; the
                // loop runs a routine again after 100 ms instead.
                statement.execute("SET lock_timeout = '100ms'");
                if (writer) {
                    statement.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                    boolean full = engine.options().durability() == Durability.FULL;
                    statement.execute("SET synchronous_commit = " + (full ? "on" : "off"));
                } else {
                    statement.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
            }
            c.setAutoCommit(false); // pgjdbc then sends BEGIN with a transaction's first statement
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure("connecting to " + engine.name(), e);
        }
    }

    private void createTables() throws SQLException {
        boolean purge = !engine.options().purgeInterval().isZero();
        try (Statement statement = connection.createStatement()) {
            // Others hold the lock only while they create the same tables: worth waiting for.
            statement.execute("SET LOCAL lock_timeout = '30s'");
            statement.execute("SELECT pg_advisory_xact_lock(" + SETUP_LOCK + ")");
            for (String table : engine.tables()) {
                String t = TableNames.quoted(table);
                // COLLATE "C" compares the UTF-8 bytes: keys sort as on SQLite, whatever the database's locale.
                statement.execute("CREATE TABLE IF NOT EXISTS " + t + " (key text COLLATE \"C\" PRIMARY KEY,"
                        + " counter bigint NOT NULL, expiration bigint NOT NULL, value bytea NOT NULL)");
                if (purge) {
                    statement.execute("CREATE INDEX IF NOT EXISTS " + TableNames.quoted(table + "-expiring")
                            + " ON " + t + " (expiration) WHERE expiration > 0");
                }
            }
            connection.commit();
        }
    }

    /**
     * Runs the body on the query's statement. A lost connection found by a transaction's first
     * statement is replaced and the statement run again; any other failure is thrown as a
     * {@link StorageException} and, unless it was a reader's, kept as {@link #lost}.
     */
    <R> R run(Query query, Body<R> body) {
        if (!writer && lost != null) {
            rollback(); // a failed read transaction: the next routine reads in a new one
        }
        boolean first = fresh;
        fresh = false;
        while (true) {
            try {
                PreparedStatement statement = statements.get(query.sql());
                if (statement == null) {
                    statement = connection.prepareStatement(query.sql());
                    statements.put(query.sql(), statement);
                }
                return body.apply(statement);
            } catch (SQLException e) {
                boolean gone = connectionLost(e.getSQLState());
                broken |= gone;
                if (gone && first && reconnected()) {
                    first = false;
                    continue;
                }
                StorageException failure = failed(query.action(), e);
                if (lost == null) {
                    lost = failure;
                }
                throw failure;
            }
        }
    }

    private boolean reconnected() {
        try {
            reconnect();
            return true;
        } catch (StorageException e) {
            return false; // the lost connection is the failure to report; begin() tries again
        }
    }

    private void reconnect() {
        closeQuietly(connection);
        statements.clear();
        connection = connect();
        broken = false;
    }

    @Override
    public PostgresStorage storage() {
        return storage;
    }

    @Override
    public PostgresStorage readOnlyStorage() {
        return readOnlyStorage;
    }

    /**
     * Connects again if the connection was lost; pgjdbc sends BEGIN with the first statement.
     *
     * <p>A routine run again after a conflict first locks the tables against other writers, who
     * finish first, and only then takes its snapshot: it cannot conflict again. Without this, a
     * lone routine run again loses every time to another process whose batches on the same key
     * follow each other, each holding the row from its first update to its COMMIT, and fails
     * after its last run. Only runs again pay for the lock; readers never wait for it.
     */
    @Override
    public void begin() {
        if (broken) {
            reconnect();
        }
        reset();
        if (conflicted && writer) {
            conflicted = false;
            run(lockTables, PreparedStatement::execute);
        }
    }

    private void reset() {
        fresh = true;
        wrote = false;
        lost = null;
    }

    @Override
    public void commit() {
        if (lost != null) {
            throw lost;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            if (connectionLost(e.getSQLState()) || isClosed()) {
                broken = true;
                throw new CommitUnknownException("the connection to " + engine.name()
                        + " was lost during COMMIT: the transaction may or may not have committed", e);
            }
            throw failed("commit", e);
        }
    }

    /** {@link #failure}, noting a conflict with another transaction for the next {@link #begin}. */
    private StorageException failed(String action, SQLException e) {
        conflicted |= e.getSQLState() != null && conflict(e.getSQLState());
        return failure(action, e);
    }

    private boolean isClosed() {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    @Override
    public void rollback() {
        reset();
        if (!broken) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                broken = connectionLost(e.getSQLState()) || isClosed();
            }
        }
    }

    @Override
    public void startRoutine() {
        wrote = false;
    }

    /** Called by {@link PostgresStorage} after a statement that changed rows. */
    void changed() {
        wrote = true;
    }

    /**
     * Throws {@link RunAlone} when the routine failed with something to undo (its changes, or a
     * failed statement that aborted the transaction); throws the failure that the routine caught
     * and did not rethrow (its changes would be gone while its result stood). Returns whether
     * the routine changed data.
     */
    @Override
    public boolean endRoutine(boolean failed) {
        boolean changed = wrote;
        wrote = false;
        if (failed && (changed || lost != null)) {
            throw new RunAlone();
        }
        if (lost != null) {
            throw lost;
        }
        return changed;
    }

    /** A conflict with another transaction, a lost connection, or {@link RunAlone}: worth running again. */
    @Override
    public boolean retryable(RuntimeException failure) {
        if (failure instanceof RunAlone) {
            return true;
        }
        String state = sqlState(failure);
        return state != null && (conflict(state) || connectionLost(state));
    }

    @Override
    public int purgeExpired(long now, int limit) {
        begin();
        try {
            int deleted = storage.purge(now, limit);
            commit();
            return deleted;
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // Closing after a failure: the first failure is the one worth reporting.
        }
    }

    /**
     * A StorageException with the fault of the SQLSTATE, the SQLException as its cause. The
     * message has the action and the server's primary message only: its detail may quote a key.
     */
    static StorageException failure(String action, SQLException e) {
        String message = e instanceof PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getMessage() : e.getMessage();
        return new StorageException(action + " failed: " + message + " (SQLSTATE " + e.getSQLState() + ")",
                fault(e.getSQLState()), 0, e);
    }

    static Fault fault(String state) {
        if (state == null) {
            return null;
        } else if (state.equals("53100")) {
            return Fault.FULL; // disk_full
        } else if (state.startsWith("53") || conflict(state)) {
            return Fault.BUSY; // out of memory, too many connections; conflicts with other transactions
        } else if (state.equals("25006")) {
            return Fault.READ_ONLY; // read_only_sql_transaction: a standby, or default_transaction_read_only
        } else if (connectionLost(state) || state.startsWith("58") || state.equals("XX001") || state.equals("XX002")) {
            return Fault.IO; // system I/O errors, data or index corruption
        }
        return null;
    }

    /** serialization_failure, deadlock_detected, lock_not_available (lock_timeout). */
    private static boolean conflict(String state) {
        return state.equals("40001") || state.equals("40P01") || state.equals("55P03");
    }

    /** Class 08 (connection exception); the server shutting down, restarting or not yet started. */
    private static boolean connectionLost(String state) {
        return state != null && (state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }

    /** The SQLSTATE of the first SQLException in the cause chain, or null. */
    static String sqlState(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof SQLException e && e.getSQLState() != null) {
                return e.getSQLState();
            }
        }
        return null;
    }
}
