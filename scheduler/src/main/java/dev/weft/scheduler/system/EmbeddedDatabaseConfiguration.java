package dev.weft.scheduler.system;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL server from Maven artifacts when the user configured no external database,
 * so that one command runs the whole control plane and its data survives restarts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
        Files.createDirectories(properties.dataDirectory());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(properties.dataDirectory())
                .setCleanDataDirectory(properties.clean())
                // Spring's context closes the server (destroyMethod) after everything that uses it has stopped. The
                // library's own JVM shutdown hook would stop it at SIGTERM at the same moment as that close begins,
                // so the last writes of shutdown (the load still in memory, the agents' disconnects) would find no
                // database and wait out the pool's timeout.
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "200");
        if (properties.port() != 0) {
            builder.setPort(properties.port());
        }
        EmbeddedPostgres postgres = builder.start();
        log.info(
                "Using embedded PostgreSQL on 127.0.0.1:{} with data in {} (set spring.datasource.url to use an external server)",
                postgres.getPort(),
                properties.dataDirectory().toAbsolutePath());
        return postgres;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("weft-embedded");
        dataSource.setMaximumPoolSize(20);
        return dataSource;
    }
}
