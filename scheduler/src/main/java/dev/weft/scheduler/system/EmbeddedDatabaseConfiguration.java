package dev.weft.scheduler.system;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
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

    // Spring's context closes the server (destroyMethod) after everything that uses it has stopped, so the last
    // writes of shutdown (the load still in memory, the agents' disconnects) still find their database.
    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(new EmbeddedPostgresServer.Settings(
                properties.dataDirectory(), properties.port(), properties.clean(), true));
        log.info(
                "Using embedded PostgreSQL on 127.0.0.1:{} with data in {} (set spring.datasource.url to use an external server)",
                postgres.getPort(),
                postgres.dataDirectory());
        return postgres;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedPostgresServer postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.jdbcUrl());
        dataSource.setUsername(postgres.username());
        dataSource.setPassword(postgres.password());
        dataSource.setPoolName("weft-embedded");
        dataSource.setMaximumPoolSize(20);
        return dataSource;
    }
}
