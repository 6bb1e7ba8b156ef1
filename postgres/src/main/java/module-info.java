/** freetser's PostgreSQL engine: {@code Store.open("jdbc:postgresql://...")} opens a store several instances share. */
module dev.freetser.postgres {
    requires dev.freetser;
    requires java.sql;
    requires org.postgresql.jdbc;

    provides dev.freetser.storage.spi.EngineProvider with dev.freetser.postgres.PostgresEngineProvider;
}
