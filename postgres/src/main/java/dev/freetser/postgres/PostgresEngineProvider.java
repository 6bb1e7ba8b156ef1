package dev.freetser.postgres;

import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.spi.Engine;
import dev.freetser.storage.spi.EngineProvider;
import java.util.List;

/** The PostgreSQL engine for {@code jdbc:postgresql:} URLs; {@code Store.open} finds it with {@link java.util.ServiceLoader}. */
public final class PostgresEngineProvider implements EngineProvider {
    @Override
    public boolean accepts(String location) {
        return location.startsWith("jdbc:postgresql:");
    }

    @Override
    public Engine engine(String location, List<String> tables, StorageOptions options) {
        return new PostgresEngine(location, tables, options);
    }
}
