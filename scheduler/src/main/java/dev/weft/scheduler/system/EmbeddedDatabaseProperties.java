package dev.weft.scheduler.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the embedded PostgreSQL server used when no {@code spring.datasource.url} is set.
 *
 * @param dataDirectory where the server keeps its data between runs
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param clean wipe the data directory on start and stop (tests only)
 */
@ConfigurationProperties("weft.database.embedded")
public record EmbeddedDatabaseProperties(Path dataDirectory, int port, boolean clean) {

    public EmbeddedDatabaseProperties {
        if (dataDirectory == null) {
            dataDirectory = Path.of(System.getProperty("user.home"), ".weft", "postgres");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("weft.database.embedded.port must be 0..65535, was " + port);
        }
    }
}
