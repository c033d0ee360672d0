package dev.weft.scheduler.agents;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Bounds how many agent-stream threads use the database at once ({@code weft.agents.max-concurrent-database-calls},
 * by default the connection pool's size less four). A storm of hellos from thousands of reconnecting agents then
 * waits here, in memory, instead of taking every pooled connection from the lease sweeper, the load writer and the
 * REST API: those never pass through the gate, so leases keep being renewed while the storm lasts.
 */
@Component
class DatabaseGate {

    private static final Logger log = LoggerFactory.getLogger(DatabaseGate.class);
    /** Connections left for the lease sweeper, the load writer, load retention and the REST API. */
    static final int RESERVED_CONNECTIONS = 4;

    private final Semaphore permits;
    private final int size;

    DatabaseGate(DataSource dataSource, AgentsProperties properties, MeterRegistry meters) {
        this.size = properties.maxConcurrentDatabaseCalls() > 0
                ? properties.maxConcurrentDatabaseCalls() : Math.max(1, poolSize(dataSource) - RESERVED_CONNECTIONS);
        this.permits = new Semaphore(size, true);
        Gauge.builder("weft.agents.database.waiting", permits, Semaphore::getQueueLength)
                .description("Agent-stream threads waiting for their turn to use the database").register(meters);
        log.info("Agent streams use at most {} database connections at once", size);
    }

    private static int poolSize(DataSource dataSource) {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                return dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
            }
        } catch (SQLException e) {
            log.debug("Could not read the connection pool size", e);
        }
        return 10; // Hikari's default
    }

    int size() {
        return size;
    }

    <T> T call(Supplier<T> work) {
        permits.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }

    void run(Runnable work) {
        permits.acquireUninterruptibly();
        try {
            work.run();
        } finally {
            permits.release();
        }
    }
}
