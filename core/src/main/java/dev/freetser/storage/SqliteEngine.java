package dev.freetser.storage;

import dev.freetser.storage.spi.Engine;
import java.nio.file.Path;
import java.util.List;

/** The embedded engine: a SQLite file (or {@code :memory:} when the file is null). */
record SqliteEngine(Path file, List<String> tables, StorageOptions options) implements Engine {
    @Override
    public String name() {
        return SqliteSession.name(file);
    }

    @Override
    public SqliteSession openWriter() {
        return SqliteSession.openWriter(file, tables, options);
    }

    @Override
    public SqliteSession openReader() {
        return SqliteSession.openReader(file, tables);
    }

    /** An in-memory database is private to its one connection: reads run on the storage thread. */
    @Override
    public int readThreads() {
        return file == null ? 0 : options.readThreads();
    }

    @Override
    public int maxBatchSize() {
        return options.maxBatchSize();
    }
}
