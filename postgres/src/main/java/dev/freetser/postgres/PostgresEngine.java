package dev.freetser.postgres;

import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.spi.Engine;
import java.util.List;

/** A PostgreSQL database, which other processes may share: every thread of the store has a connection of its own. */
record PostgresEngine(String url, List<String> tables, StorageOptions options) implements Engine {
    /**
     * The predicate locks of a larger serializable transaction escalate to coarser ones, which
     * conflict more with other instances' transactions; and a batch that conflicts reruns its
     * routines one per transaction, so a larger one costs more when it does.
     */
    static final int MAX_BATCH_SIZE = 64;

    /** The URL without its query string, which may hold a password. */
    @Override
    public String name() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public PostgresSession openWriter() {
        return PostgresSession.openWriter(this);
    }

    @Override
    public PostgresSession openReader() {
        return PostgresSession.openReader(this);
    }

    @Override
    public int readThreads() {
        return options.readThreads();
    }

    @Override
    public int maxBatchSize() {
        return MAX_BATCH_SIZE;
    }

    /** Not the URL: it may hold a password. */
    @Override
    public String toString() {
        return "PostgresEngine[" + name() + "]";
    }
}
