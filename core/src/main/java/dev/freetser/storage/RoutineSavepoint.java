package dev.freetser.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The SAVEPOINT of one routine in a group-commit batch, opened only when the routine first
 * writes. A routine that only reads has nothing to roll back, so it runs without one: in a
 * read-mostly batch most routines skip both statements (SAVEPOINT and RELEASE). Confined to
 * the storage thread, like its connection.
 */
final class RoutineSavepoint {
    private final CachedStatement savepoint;
    private final CachedStatement release;
    private final CachedStatement rollbackTo;
    private boolean armed;
    private boolean open;

    RoutineSavepoint(Connection connection) throws SQLException {
        this.savepoint = new CachedStatement(connection, "SAVEPOINT routine");
        this.release = new CachedStatement(connection, "RELEASE routine");
        this.rollbackTo = new CachedStatement(connection, "ROLLBACK TO routine");
    }

    /** A routine starts: its first write opens the savepoint. */
    void arm() {
        armed = true;
    }

    /** Called before every change; opens the armed savepoint (and retries it if opening failed). */
    void beforeWrite() {
        if (armed) {
            savepoint.execute();
            armed = false;
            open = true;
        }
    }

    /**
     * The routine ended: rolls back to its savepoint if it failed, then releases it; returns
     * whether the routine wrote (its savepoint opened). Throws only when SQLite has lost the
     * transaction (the savepoint no longer exists).
     */
    boolean end(boolean failed) {
        armed = false;
        if (!open) {
            return false;
        }
        open = false;
        if (failed) {
            rollbackTo.execute();
        }
        release.execute();
        return true;
    }
}
