/** freetser: a small thread-per-connection HTTP/1.1 server with a built-in key-value store (SQLite, or PostgreSQL with freetser-postgres). */
module dev.freetser {
    requires java.net.http;
    requires java.sql;
    requires jdk.net;
    requires java.logging;
    requires org.xerial.sqlitejdbc;
    requires tools.jackson.jr.ob;

    exports dev.freetser;
    exports dev.freetser.storage;
    // For storage engines in other modules (freetser-postgres), not for applications.
    exports dev.freetser.storage.spi to dev.freetser.postgres;

    uses dev.freetser.storage.spi.EngineProvider;
}
