/**
 * freetser's PostgreSQL engine: with this module on the path, {@code Store.open} opens
 * {@code jdbc:postgresql:} URLs, a database that several processes share.
 */
module dev.freetser.postgres {
    requires dev.freetser;
    requires java.sql;
    requires org.postgresql.jdbc;

    provides dev.freetser.storage.spi.EngineProvider with dev.freetser.postgres.PostgresEngineProvider;
}
