package dev.freetser.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.core.CoreResultSet;

/**
 * One SQL text and its prepared statement on one connection, kept for reuse. sqlite-jdbc
 * finalizes a statement when most errors occur (SQLITE_FULL, SQLITE_IOERR, "no transaction is
 * active", ...), after which every use fails with "statement is not executing". So after any
 * failure the statement is dropped and prepared again at its next use: the store works again
 * once the cause is gone.
 */
final class CachedStatement {
    /** A body that uses the statement. */
    interface Use<R> {
        R apply(PreparedStatement statement) throws SQLException;
    }

    private final Connection connection;
    private final String sql;
    private final String action;
    private PreparedStatement statement;
    /** The statement's one result set (the driver reuses it), and the column names it had first. */
    private CoreResultSet results;
    private String[] columns;

    /**
     * Prepares at once, so SQL that does not fit the schema fails when the database is opened.
     * {@code action} names what the statement does in failure messages ("get from table USERS").
     */
    CachedStatement(Connection connection, String sql, String action) throws SQLException {
        this.connection = connection;
        this.sql = sql;
        this.action = action;
        this.statement = connection.prepareStatement(sql);
    }

    /** A statement whose failures are named by its SQL text (BEGIN, COMMIT, ...). */
    CachedStatement(Connection connection, String sql) throws SQLException {
        this(connection, sql, sql);
    }

    /**
     * Runs the body on the statement; on failure drops the statement and throws a
     * {@link StorageException} naming the action, with SQLite's code.
     */
    <R> R use(Use<R> body) {
        try {
            if (statement == null) {
                statement = connection.prepareStatement(sql);
            }
            return body.apply(statement);
        } catch (SQLException e) {
            drop();
            throw SqliteStorage.failure(action, e);
        }
    }

    /**
     * Executes the statement, bound by the caller, as a query; the caller closes the result set.
     *
     * <p>sqlite-jdbc asks SQLite for the column names again at every execution: a native call per
     * column, each building its answer through an up-call into Java. On a keyed SELECT that costs
     * as much as the query itself: without it the storage thread runs 1.35 to 1.46x the routines
     * a second (StorageBench's b). A prepared statement's columns cannot change, so the names from
     * its first execution are handed back to the driver's result set, which looks there first.
     */
    ResultSet executeQuery(PreparedStatement query) throws SQLException {
        query.execute(); // closes the previous result set, which forgets its column names
        if (results != null) {
            results.colsMeta = columns;
        }
        ResultSet rows = query.getResultSet();
        if (results == null && rows instanceof CoreResultSet core) {
            results = core;
            columns = core.colsMeta;
        }
        return rows;
    }

    /** Executes a statement without parameters or results (BEGIN, COMMIT, ...). */
    void execute() {
        use(PreparedStatement::execute);
    }

    private void drop() {
        try {
            if (statement != null) {
                statement.close();
            }
        } catch (SQLException e) {
            // Already finalized by the driver; nothing left to release.
        } finally {
            statement = null;
            results = null;
            columns = null;
        }
    }
}
