package dev.freetser.storage;

import static dev.freetser.storage.Stores.bytes;
import static dev.freetser.storage.Stores.enqueue;
import static dev.freetser.storage.Stores.pageCount;
import static dev.freetser.storage.Stores.sql;
import static dev.freetser.storage.Stores.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.SmallDisk;
import dev.freetser.storage.StorageException.Fault;
import dev.freetser.storage.Stores.Blocker;
import dev.freetser.storage.Stores.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Failures of the store itself (a full disk, a database that cannot be written, an I/O error)
 * are told apart by {@link StorageException#fault()}, fail only the writes, pass without a
 * restart, are refused at open where they show then, and are logged once, not per routine. A
 * full disk, a read-only file system and files that refuse writes are real where the machine
 * lets a test make them ({@link SmallDisk}); a database turning read-only while open is simulated.
 */
@Timeout(30)
class StorageFaultTest {
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR_WRITE = 778;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "13, FULL",
        "8, READ_ONLY", "264, READ_ONLY", "520, READ_ONLY", "776, READ_ONLY", "1032, READ_ONLY", "1288, READ_ONLY",
        "1544, READ_ONLY", "3, READ_ONLY",
        "10, IO", "778, IO", "266, IO", "3338, IO", "14, IO", "11, IO", "26, IO",
        "5, BUSY", "261, BUSY", "517, BUSY", "6, BUSY", "262, BUSY",
        // Not the store's: OK, SQLITE_ERROR (bad SQL), constraints, a value too big, out of memory.
        "0,", "1,", "19,", "787,", "1555,", "18,", "7,"})
    void sqliteResultCodesNameTheirFault(int code, Fault fault) {
        assertEquals(fault, SqliteFaults.of(code));
    }

    @Test
    void aFullQueueIsBusyAndAClosedOneClosedButTheRoutinesOwnFailuresHaveNoFault() throws Exception {
        StorageQueue store = Stores.open(Kind.MEMORY, dir, StorageOptions.defaults().withQueueCapacity(1), "USERS");
        try (store) {
            store.execute(s -> add(s, "ada", "x"));
            try (Blocker blocker = new Blocker(store)) {
                Future<Void> waiting = enqueue(store, s -> null);
                assertEquals(Fault.BUSY, assertThrows(StorageBusyException.class, () -> store.execute(s -> null)).fault());
                blocker.close();
                waiting.get();
            }
            assertNull(assertThrows(EntryAlreadyExistsException.class, () -> store.execute(s -> add(s, "ada", "y"))).fault());
            assertNull(assertThrows(StorageReadOnlyException.class, () -> store.read(s -> add(s, "bob", "y"))).fault());
            StorageException own = new StorageException("the routine's own");
            assertSame(own, assertThrows(StorageException.class, () -> store.execute(s -> {
                throw own;
            })));
            assertNull(own.fault());
        }
        StorageException closed = assertThrows(StorageException.class, () -> store.execute(s -> null));
        assertEquals(Fault.CLOSED, closed.fault());
        assertEquals("storage is closed", closed.fault().summary());
    }

    /**
     * SQLite's size limit ({@code max_page_count}) stands in for a full disk everywhere: a write
     * that needs room fails FULL and loses its transaction, reads go on (on the read threads, on
     * the storage thread, and a read batched before the failing write), and raising the limit
     * lets writes through again without a restart.
     */
    @Test
    void aFullDatabaseFailsWritesAsFullWhileReadsGoOnAndWritesWorkOnceThereIsRoom() throws Exception {
        try (StorageQueue store = Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS")) {
            store.execute(s -> add(s, "kept", "old"));
            store.execute(s -> sql(s, "PRAGMA max_page_count = " + pageCount(s)));

            StorageException full = assertThrows(StorageException.class, () -> store.execute(s -> add(s, "big", big())));
            assertEquals(Fault.FULL, full.fault());
            assertEquals(SQLITE_FULL, full.code());
            assertEquals("old", text(store.read(s -> s.get("USERS", "kept")).orElseThrow()));
            assertEquals("old", text(store.execute(s -> s.get("USERS", "kept")).orElseThrow()));

            Future<String> read;
            Future<Void> write;
            try (Blocker blocker = new Blocker(store)) {
                read = enqueue(store, s -> text(s.get("USERS", "kept").orElseThrow()));
                write = enqueue(store, s -> add(s, "big", big()));
            }
            assertEquals(Fault.FULL, assertInstanceOf(StorageException.class,
                    assertThrows(ExecutionException.class, write::get).getCause()).fault());
            assertEquals("old", read.get(), "a read before the failed write read what was committed: it stands");

            store.execute(s -> sql(s, "PRAGMA max_page_count = 1000000"));
            store.execute(s -> add(s, "big", big()));
            assertEquals(List.of("big", "kept"), store.read(s -> s.listKeys("USERS")));
        }
    }

    /** A file system that is really full: the same FULL, and writes work again once it grows. */
    @Test
    void aFullDiskFailsWritesAsFullWhileReadsGoOnAndWritesWorkOnceItGrows() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir, 1024);
             StorageQueue store = StorageQueue.open(disk.folder().resolve("app.db"), List.of("USERS"))) {
            store.execute(s -> add(s, "kept", "old"));
            StorageException full = null;
            for (int i = 0; i < 100 && full == null; i++) {
                String key = "k" + i;
                try {
                    store.execute(s -> add(s, key, big()));
                } catch (StorageException e) {
                    full = e;
                }
            }
            assertNotNull(full, "100 values of 64 KiB did not fill 1 MiB");
            assertEquals(Fault.FULL, full.fault(), full.getMessage());
            assertEquals(SQLITE_FULL, full.code());
            assertEquals("old", text(store.read(s -> s.get("USERS", "kept")).orElseThrow()));
            assertEquals("old", text(store.execute(s -> s.get("USERS", "kept")).orElseThrow()));

            disk.resize(8 * 1024);
            store.execute(s -> add(s, "after", big()));
            assertEquals(64 * 1024, store.read(s -> s.get("USERS", "after")).orElseThrow().value().length);
        }
    }

    /**
     * The storage thread's connection may no longer write. Simulated: a file already open for
     * writing does not turn read-only in WAL mode, so SQLite's query_only gives the code a
     * read-only file gives. It refuses BEGIN IMMEDIATE too, which a read-only file allows, so
     * every execute fails and only the read threads' reads go on; and no routine can turn it off,
     * so the test does, on the connection while the storage thread waits for work.
     */
    @Test
    void writesFailAsReadOnlyWhileTheDatabaseCannotBeWrittenAndReadsGoOn() throws SQLException {
        try (StorageQueue store = Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS")) {
            store.execute(s -> add(s, "kept", "old"));
            Connection connection = store.execute(s -> {
                sql(s, "PRAGMA query_only = ON");
                return ((SqliteStorage) s).connection();
            });
            StorageException readOnly = assertThrows(StorageException.class, () -> store.execute(s -> add(s, "new", "x")));
            assertEquals(Fault.READ_ONLY, readOnly.fault());
            assertEquals(SQLITE_READONLY, readOnly.code());
            assertEquals("old", text(store.read(s -> s.get("USERS", "kept")).orElseThrow()));
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA query_only = OFF");
            }
            store.execute(s -> add(s, "new", "x"));
            assertEquals(List.of("kept", "new"), store.read(s -> s.listKeys("USERS")));
        }
    }

    /**
     * The database and its log made immutable while open: the kernel refuses every write, even
     * root's, and SQLite reports an I/O error (SQLITE_IOERR_WRITE). Writes work again once it is
     * lifted. On the test's own folder: tmpfs lets files already open be written after chattr +i.
     */
    @Test
    void writesFailAsIoWhileTheFilesRefuseWritesAndWorkAgainAfter() throws Exception {
        SmallDisk.assumeImmutableStopsOpenFiles(dir);
        Path file = dir.resolve("app.db");
        Path wal = dir.resolve("app.db-wal");
        try (StorageQueue store = StorageQueue.open(file, List.of("USERS"))) {
            store.execute(s -> add(s, "kept", "old"));
            SmallDisk.immutable(file, wal);
            try {
                StorageException io = assertThrows(StorageException.class, () -> store.execute(s -> add(s, "new", "x")));
                assertEquals(Fault.IO, io.fault(), io.getMessage());
                assertEquals(SQLITE_IOERR_WRITE, io.code());
                assertEquals("old", text(store.read(s -> s.get("USERS", "kept")).orElseThrow()));
                assertEquals("old", text(store.execute(s -> s.get("USERS", "kept")).orElseThrow()));
            } finally {
                SmallDisk.mutable(file, wal);
            }
            store.execute(s -> add(s, "new", "x"));
            assertEquals(List.of("kept", "new"), store.read(s -> s.listKeys("USERS")));
        }
    }

    /**
     * SQLite opens a file it may not write read-only, and with the tables there nothing at open
     * wrote, so every write failed later: open now refuses it, naming the file and the cause.
     */
    @Test
    void anImmutableDatabaseFileIsRefusedAtOpen() {
        try (SmallDisk disk = SmallDisk.mount(dir, 4 * 1024)) {
            Path file = disk.folder().resolve("app.db");
            StorageQueue.open(file, List.of("USERS")).close();
            SmallDisk.immutable(file);
            try {
                StorageException e = assertThrows(StorageException.class, () -> StorageQueue.open(file, List.of("USERS")));
                assertEquals("cannot write database " + file + ": [SQLITE_READONLY] Attempt to write a readonly database"
                        + " (attempt to write a readonly database)", e.getMessage());
                assertEquals(Fault.READ_ONLY, e.fault());
                assertEquals(SQLITE_READONLY, e.code());
            } finally {
                SmallDisk.mutable(file);
            }
        }
    }

    @Test
    void aDatabaseOnAReadOnlyFileSystemIsRefusedAtOpen() {
        try (SmallDisk disk = SmallDisk.mount(dir, 4 * 1024)) {
            Path file = disk.folder().resolve("app.db");
            StorageQueue.open(file, List.of("USERS")).close();
            disk.readOnly();
            StorageException e = assertThrows(StorageException.class, () -> StorageQueue.open(file, List.of("USERS")));
            assertEquals("cannot open database " + file + ": folder " + disk.folder() + " is read-only", e.getMessage());
            assertEquals(Fault.READ_ONLY, e.fault());
        }
    }

    /** Where tests do not run as root, permission bits make a file read-only too. */
    @Test
    void aDatabaseFileWithoutWritePermissionIsRefusedAtOpen() throws Exception {
        Path file = dir.resolve("app.db");
        StorageQueue.open(file, List.of("USERS")).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        Assumptions.assumeFalse(Files.isWritable(file), "root ignores permission bits: the file stays writable");
        StorageException e = assertThrows(StorageException.class, () -> StorageQueue.open(file, List.of("USERS")));
        assertTrue(e.getMessage().startsWith("cannot write database " + file + ": [SQLITE_READONLY]"), e.getMessage());
        assertEquals(Fault.READ_ONLY, e.fault());
    }

    /** A full disk fails every write; the log says so once per interval, without a stack trace. */
    @Test
    void aFaultIsLoggedOnceNotOncePerRoutine() throws Exception {
        Logger logger = Logger.getLogger(StorageQueue.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (StorageQueue store = Stores.open(Kind.FILE, dir, StorageOptions.defaults(), "USERS")) {
            store.execute(s -> sql(s, "PRAGMA max_page_count = " + pageCount(s)));
            records.clear();
            for (int i = 0; i < 50; i++) {
                String key = "k" + i;
                assertEquals(Fault.FULL, assertThrows(StorageException.class, () -> store.execute(s -> add(s, key, big()))).fault());
            }
            try (Blocker blocker = new Blocker(store)) {
                Future<Void> first = enqueue(store, s -> add(s, "small", "x"));
                Future<Void> second = enqueue(store, s -> add(s, "big", big()));
                blocker.close();
                assertThrows(ExecutionException.class, first::get);
                assertThrows(ExecutionException.class, second::get);
            }
        } finally {
            logger.removeHandler(capture);
        }
        List<LogRecord> faults = records.stream().filter(r -> r.getMessage().contains("SQLITE_FULL")).toList();
        assertEquals(1, faults.size(), () -> records.stream().map(LogRecord::getMessage).toList().toString());
        assertTrue(faults.getFirst().getMessage().startsWith("transaction of 1 routines lost: add to table USERS failed:"
                + " [SQLITE_FULL]"), faults.getFirst().getMessage());
        assertNull(faults.getFirst().getThrown(), "no stack trace");
    }

    private static String big() {
        return "x".repeat(64 * 1024);
    }

    private static Void add(Storage s, String key, String value) {
        s.add("USERS", key, bytes(value), 0);
        return null;
    }
}
