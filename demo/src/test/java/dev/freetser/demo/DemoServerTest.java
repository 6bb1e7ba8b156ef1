package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.SmallDisk;
import dev.freetser.storage.StorageQueue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DemoServer.run in-process: exit codes and what is printed where. */
@Timeout(30)
class DemoServerTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DemoServer.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsageToStdoutAndExits0() {
        assertEquals(0, run("--help"));
        assertEquals(DemoOptions.USAGE, out());
        assertEquals("", err());
        assertTrue(out().contains("--unix-socket PATH"));
        assertTrue(out().contains("--log-requests"));
    }

    @Test
    void unknownFlagPrintsWhatWasWrongAndUsageThenExits2() {
        assertEquals(2, run("--verbose"));
        assertEquals("freetser-demo: unknown option --verbose\n\n" + DemoOptions.USAGE, err());
        assertEquals("", out());
    }

    @Test
    void badValueExits2() {
        assertEquals(2, run("--port", "eighty"));
        assertEquals("freetser-demo: --port must be a number from 0 to 65535, got 'eighty'\n\n" + DemoOptions.USAGE, err());
    }

    @Test
    void busyPortNamesTheAddressAndExits1(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertEquals(1, run("--port", Integer.toString(port), "--db", ":memory:"));
            assertEquals("freetser-demo: address already in use: 127.0.0.1:" + port + "\n", err());
            assertEquals("", out());
        }
    }

    @Test
    void databaseInAMissingFolderExits1(@TempDir Path dir) {
        String db = dir.resolve("no-such-folder").resolve("demo.db").toString();
        assertEquals(1, run("--port", "0", "--db", db));
        assertEquals("freetser-demo: cannot open database " + db + ": folder " + dir.resolve("no-such-folder")
                + " does not exist\n", err());
    }

    @Test
    void aJdbcUrlNoEngineTakesExits1NamingTheArtifact() {
        assertEquals(1, run("--port", "0", "--db", "jdbc:mysql://db/app"));
        assertEquals("freetser-demo: no storage engine for jdbc:mysql URLs: for jdbc:postgresql, add"
                + " dev.freetser:freetser-postgres to the class path\n", err());
    }

    /** Nothing listens on port 1: the connection is refused at once; the password never reaches the output. */
    @Test
    void anUnreachablePostgresqlExits1WithoutItsPassword() {
        assertEquals(1, run("--port", "0", "--db", "jdbc:postgresql://127.0.0.1:1/app?user=app&password=s3cret"));
        assertTrue(err().startsWith("freetser-demo: connecting to jdbc:postgresql://127.0.0.1:1/app failed: "), err());
        assertTrue(err().contains("(SQLSTATE 08001)"), err());
        assertFalse(err().contains("s3cret"), err());
    }

    /** Once refused in silence: SQLite opened it read-only, the tables were there, and every write failed later. */
    @Test
    void databaseFileThatCannotBeWrittenExits1(@TempDir Path dir) {
        try (SmallDisk disk = SmallDisk.mount(dir, 4 * 1024)) {
            Path db = disk.folder().resolve("demo.db");
            StorageQueue.open(db, DemoRoutes.TABLES).close();
            SmallDisk.immutable(db);
            try {
                assertEquals(1, run("--port", "0", "--db", db.toString()));
            } finally {
                SmallDisk.mutable(db);
            }
            assertEquals("freetser-demo: cannot write database " + db + ": [SQLITE_READONLY] Attempt to write a readonly"
                    + " database (attempt to write a readonly database)\n", err());
            assertEquals("", out());
        }
    }

    @Test
    void databaseOnAReadOnlyFileSystemExits1(@TempDir Path dir) {
        try (SmallDisk disk = SmallDisk.mount(dir, 4 * 1024)) {
            Path db = disk.folder().resolve("demo.db");
            StorageQueue.open(db, DemoRoutes.TABLES).close();
            disk.readOnly();
            assertEquals(1, run("--port", "0", "--db", db.toString()));
            assertEquals("freetser-demo: cannot open database " + db + ": folder " + dir + " is read-only\n", err());
        }
    }
}
