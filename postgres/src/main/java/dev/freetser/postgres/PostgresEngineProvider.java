package dev.freetser.postgres;

import dev.freetser.storage.StorageOptions;
import dev.freetser.storage.spi.Engine;
import dev.freetser.storage.spi.EngineProvider;
import java.util.List;

/** Placeholder until the engine lands: refuses every location. */
public final class PostgresEngineProvider implements EngineProvider {
    @Override
    public boolean accepts(String location) {
        return false;
    }

    @Override
    public Engine engine(String location, List<String> tables, StorageOptions options) {
        throw new UnsupportedOperationException();
    }
}
