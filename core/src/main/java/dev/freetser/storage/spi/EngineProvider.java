package dev.freetser.storage.spi;

import dev.freetser.storage.StorageOptions;
import java.util.List;

/** Found with {@link java.util.ServiceLoader} by {@code Store.open}: an engine for some JDBC URLs. */
public interface EngineProvider {
    /** Whether this engine opens the location (a JDBC URL). */
    boolean accepts(String location);

    /** The engine for the location; nothing is opened until the storage thread asks. */
    Engine engine(String location, List<String> tables, StorageOptions options);
}
