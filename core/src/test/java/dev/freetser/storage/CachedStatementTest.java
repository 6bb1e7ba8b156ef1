package dev.freetser.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sqlite.core.CoreResultSet;

/** The query path that keeps the driver's column names between executions. */
class CachedStatementTest {
    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE T (k TEXT PRIMARY KEY, n INTEGER, v BLOB)");
            statement.execute("INSERT INTO T VALUES ('a', 1, x'01'), ('b', 2, x'0202'), ('c', 3, NULL)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private record Row(String k, long n, byte[] v) {
    }

    private static Row get(CachedStatement statement, String key) {
        return statement.use(select -> {
            select.setString(1, key);
            try (ResultSet rows = statement.executeQuery(select)) {
                if (!rows.next()) {
                    return null;
                }
                Row row = new Row(rows.getString("k"), rows.getLong(2), rows.getBytes("v"));
                assertFalse(rows.next(), "one row per key");
                return row;
            }
        });
    }

    @Test
    void everyExecutionReadsItsOwnRowAndTheColumnNamesStayRight() throws SQLException {
        CachedStatement statement = new CachedStatement(connection, "SELECT k, n, v FROM T WHERE k = ?", "get");
        for (int round = 0; round < 3; round++) {
            Row a = get(statement, "a");
            assertEquals("a", a.k());
            assertEquals(1, a.n());
            assertArrayEquals(new byte[] {1}, a.v());
            Row b = get(statement, "b");
            assertEquals(2, b.n());
            assertArrayEquals(new byte[] {2, 2}, b.v());
            assertEquals(null, get(statement, "c").v());
            assertEquals(null, get(statement, "missing"));
        }
        List<String> names = statement.use(select -> {
            select.setString(1, "a");
            try (ResultSet rows = statement.executeQuery(select)) {
                List<String> list = new ArrayList<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    list.add(rows.getMetaData().getColumnName(i));
                }
                return list;
            }
        });
        assertEquals(List.of("k", "n", "v"), names);
    }

    @Test
    void theNamesFromTheFirstExecutionAreHandedBackNotFetchedAgain() throws SQLException {
        CachedStatement statement = new CachedStatement(connection, "SELECT k, n, v FROM T WHERE k = ?", "get");
        String[] first = columnsOfAQuery(statement, "a");
        assertArrayEquals(new String[] {"k", "n", "v"}, first);
        // The driver fetches a new array at every execution unless it is handed one: same array, no fetch.
        assertSame(first, columnsOfAQuery(statement, "b"));
        assertSame(first, columnsOfAQuery(statement, "missing"));
    }

    private static String[] columnsOfAQuery(CachedStatement statement, String key) {
        return statement.use(select -> {
            select.setString(1, key);
            try (ResultSet rows = statement.executeQuery(select)) {
                return ((CoreResultSet) rows).colsMeta;
            }
        });
    }

    @Test
    void afterAFailureTheStatementIsPreparedAgainWithItsNames() throws SQLException {
        CachedStatement statement = new CachedStatement(connection, "SELECT k, n, v FROM T WHERE k = ?", "get");
        assertEquals(1, get(statement, "a").n());
        StorageException failure = assertThrows(StorageException.class, () -> statement.use(select -> {
            throw new SQLException("staged failure");
        }));
        assertTrue(failure.getMessage().startsWith("get failed: staged failure"), failure.getMessage());
        Row b = get(statement, "b");
        assertEquals("b", b.k());
        assertEquals(2, b.n());
    }
}
