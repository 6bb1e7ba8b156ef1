package dev.freetser.storage;

import dev.freetser.storage.StorageException.Fault;

/**
 * SQLite's result codes as {@link Fault}s. An extended code (SQLITE_IOERR_WRITE is 778) keeps its
 * primary code (SQLITE_IOERR, 10) in its low 8 bits, so the primary code decides. Codes of the
 * routine's own making (SQLITE_CONSTRAINT, SQLITE_ERROR for bad SQL, SQLITE_TOOBIG, ...) have no fault.
 */
final class SqliteFaults {
    private SqliteFaults() {
    }

    /** The fault behind an extended or primary result code, or {@code null}. */
    static Fault of(int code) {
        return switch (code & 0xff) {
            case 13 -> Fault.FULL; // SQLITE_FULL: the disk, or max_page_count
            case 8, 3 -> Fault.READ_ONLY; // SQLITE_READONLY (and its 264, 520, 776, 1032, 1288, 1544), SQLITE_PERM
            case 10, 14, 11, 26, 22 -> Fault.IO; // SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_NOLFS
            case 5, 6, 15 -> Fault.BUSY; // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PROTOCOL (a lock race)
            default -> null;
        };
    }
}
