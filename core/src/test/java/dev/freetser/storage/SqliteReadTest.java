package dev.freetser.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freetser.storage.Stores.Kind;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link StorageQueue#read} where SQLite differs: read connections opened read-only, reads of {@code :memory:} on the storage thread. */
@Timeout(20)
class SqliteReadTest {
    @TempDir
    Path dir;

    /** Beneath the read-only Storage, the read connections are opened read-only: SQL cannot write either. */
    @Test
    void readConnectionsAreReadOnlyInSqliteToo() {
        try (StorageQueue store = Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS")) {
            int code = store.read(s -> {
                try (Statement statement = ((SqliteStorage) s).connection().createStatement()) {
                    statement.executeUpdate("DELETE FROM USERS");
                    return 0;
                } catch (SQLException e) {
                    return SqliteStorage.code(e);
                }
            });
            assertEquals(8, code, "SQLITE_READONLY");
        }
    }

    /** A {@code :memory:} database is private to its one connection: its reads queue for the storage thread. */
    @Test
    void onMemoryReadsRunOnTheStorageThread() {
        try (StorageQueue memory = Stores.open(Kind.MEMORY, dir, StorageOptions.defaults(), "USERS")) {
            assertEquals("freetser-storage false", memory.read(s -> Thread.currentThread().getName() + " " + Thread.currentThread().isVirtual()));
            assertEquals(0, memory.stats().reads());
        }
    }
}
