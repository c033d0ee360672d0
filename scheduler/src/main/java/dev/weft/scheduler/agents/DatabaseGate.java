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
 * REST API: those never pass through the gate, so leases keep being renewed while the storm lasts. Loading a
 * version's ids for the reports of many streams ({@link #read}) has a lane of its own, so it never waits behind
 * such a storm of hellos.
 */
@Component
class DatabaseGate {

    private static final Logger log = LoggerFactory.getLogger(DatabaseGate.class);
    /** Connections left for the lease sweeper, the load writer, load retention and the REST API. */
    static final int RESERVED_CONNECTIONS = 4;

    private final Semaphore permits;
    private final Semaphore reads;
    private volatile boolean closed;

    DatabaseGate(DataSource dataSource, AgentsProperties properties, MeterRegistry meters) {
        int size = properties.maxConcurrentDatabaseCalls() > 0
                ? properties.maxConcurrentDatabaseCalls()
                : Math.max(1, poolSize(dataSource) - RESERVED_CONNECTIONS);
        int readLane = size >= 4 ? 2 : size >= 2 ? 1 : 0;
        this.permits = new Semaphore(size - readLane, true);
        this.reads = readLane == 0 ? permits : new Semaphore(readLane, true);
        Gauge.builder("weft.agents.database.waiting", permits, Semaphore::getQueueLength)
                .description("Agent-stream threads waiting for their turn to use the database")
                .register(meters);
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

    /** A short read that many streams wait for at once (a version's ids), in its own lane. */
    <T> T read(Supplier<T> work) {
        enter(reads);
        try {
            return work.get();
        } finally {
            reads.release();
        }
    }

    <T> T call(Supplier<T> work) {
        enter(permits);
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }

    void run(Runnable work) {
        enter(permits);
        try {
            work.run();
        } finally {
            permits.release();
        }
    }

    /**
     * The node is shutting down: work still waiting here is refused (SHUTTING_DOWN) instead of queueing for a
     * connection pool that is about to close, where each would wait out the pool's timeout. Every waiter is let
     * through at once, to find the gate closed and give its permit back.
     */
    @SuppressWarnings("ReferenceEquality") // reads share the permits' semaphore when they have no lane of their own
    void close() {
        closed = true;
        // enough permits for every waiter there could be; none of them does database work once closed
        permits.release(Integer.MAX_VALUE / 4);
        if (reads != permits) {
            reads.release(Integer.MAX_VALUE / 4);
        }
    }

    private void enter(Semaphore lane) {
        // a plain blocking acquire: a timed one in a loop, with thousands waiting, churns the semaphore's queue
        // and starved the very threads holding connections in a 10,000-agent run
        lane.acquireUninterruptibly();
        if (closed) {
            lane.release();
            throw new AgentException(AgentError.SHUTTING_DOWN, "this control-plane node is shutting down");
        }
    }
}
