package dev.weft.scheduler.load;

import dev.weft.scheduler.load.Buckets.ComponentRow;
import dev.weft.scheduler.load.Buckets.EdgeRow;
import dev.weft.scheduler.load.BufferedLoadSink.Drained;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes drained buckets to PostgreSQL: one transaction per flush, JDBC batches of
 * {@code weft.load.batch-size} upserts that add to what is already stored, so a bucket written in
 * several parts (open buckets are written periodically) adds up. Each row is inserted only if its
 * version's components still exist, so a version deleted meanwhile does not fail the batch.
 */
@Component
class LoadWriter {

    private static final Logger log = LoggerFactory.getLogger(LoadWriter.class);
    private static final int ATTEMPTS = 3;

    static final String UPSERT_COMPONENT = """
            insert into component_load (version_id, component_id, bucket_start, bucket_seconds, samples,
                                        cpu_core_seconds, memory_mib_max, requests, errors, in_flight_max)
            select ?, ?, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?
            where exists (select 1 from components c where c.version_id = ? and c.id = ?)
            on conflict (version_id, component_id, bucket_start) do update set
                samples = component_load.samples + excluded.samples,
                cpu_core_seconds = component_load.cpu_core_seconds + excluded.cpu_core_seconds,
                memory_mib_max = greatest(component_load.memory_mib_max, excluded.memory_mib_max),
                requests = component_load.requests + excluded.requests,
                errors = component_load.errors + excluded.errors,
                in_flight_max = greatest(component_load.in_flight_max, excluded.in_flight_max)""";

    static final String UPSERT_EDGE = """
            insert into edge_load (version_id, caller_id, callee_id, bucket_start, bucket_seconds, samples,
                                   calls, bytes, errors, latency_p50_ms_weighted, latency_p99_ms_max)
            select ?, ?, ?, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?
            where exists (select 1 from components c where c.version_id = ? and c.id = ?)
              and exists (select 1 from components c where c.version_id = ? and c.id = ?)
            on conflict (version_id, caller_id, callee_id, bucket_start) do update set
                samples = edge_load.samples + excluded.samples,
                calls = edge_load.calls + excluded.calls,
                bytes = edge_load.bytes + excluded.bytes,
                errors = edge_load.errors + excluded.errors,
                latency_p50_ms_weighted = edge_load.latency_p50_ms_weighted + excluded.latency_p50_ms_weighted,
                latency_p99_ms_max = greatest(edge_load.latency_p99_ms_max, excluded.latency_p99_ms_max)""";

    private final BufferedLoadSink sink;
    private final WriterHealth health;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final LoadProperties properties;
    private final ReentrantLock flushing = new ReentrantLock();
    private final Timer writeLatency;
    private final DistributionSummary batchRows;
    private final Counter rowsWritten;
    private final Counter failures;

    LoadWriter(BufferedLoadSink sink, WriterHealth health, JdbcTemplate jdbc, TransactionTemplate transactions,
               LoadProperties properties, MeterRegistry meters) {
        this.sink = sink;
        this.health = health;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.writeLatency = Timer.builder("weft.load.write")
                .description("Time to write one flush of load buckets to the database")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.batchRows = DistributionSummary.builder("weft.load.batch.rows")
                .description("Rows per JDBC batch sent to the database (its count is the number of batches)")
                .register(meters);
        this.rowsWritten = Counter.builder("weft.load.rows.written")
                .description("Bucket rows upserted into component_load and edge_load").register(meters);
        this.failures = Counter.builder("weft.load.write.failures")
                .description("Flushes that failed and were put back to be retried").register(meters);
    }

    /**
     * Writes the closed buckets, and the open ones too when {@code includeOpen}; returns the rows sent.
     * Only one flush runs at a time; a failed one puts its entries back for the next.
     */
    int flush(boolean includeOpen) {
        flushing.lock();
        try {
            Drained drained = sink.drain(includeOpen);
            if (drained.size() == 0) {
                return 0;
            }
            health.writeStarted();
            long started = System.nanoTime();
            try {
                if (!writeWithRetry(drained)) {
                    sink.discard(drained);
                    return 0;
                }
                sink.release(drained);
                rowsWritten.increment(drained.size());
                return drained.size();
            } catch (RuntimeException e) {
                failures.increment();
                log.warn("Writing {} load rows failed; they stay in memory for the next flush: {}", drained.size(), e.toString());
                sink.restore(drained);
                return 0;
            } finally {
                long took = System.nanoTime() - started;
                writeLatency.record(took, TimeUnit.NANOSECONDS);
                health.writeFinished(took);
            }
        } finally {
            flushing.unlock();
        }
    }

    /** True when written; false when foreign-key conflicts kept recurring and the rows were given up. */
    private boolean writeWithRetry(Drained drained) {
        for (int attempt = 1; ; attempt++) {
            try {
                transactions.executeWithoutResult(status -> write(drained));
                return true;
            } catch (DataIntegrityViolationException e) {
                // A version was deleted between our existence check and the insert: the next attempt skips it.
                if (!isForeignKeyViolation(e)) {
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    log.warn("Dropping {} load rows after {} foreign-key conflicts: {}", drained.size(), ATTEMPTS, e.toString());
                    return false;
                }
            }
        }
    }

    private void write(Drained drained) {
        int bucketSeconds = (int) properties.bucketSeconds();
        batch(UPSERT_COMPONENT, drained.components(), (ps, row) -> {
            var key = row.key();
            ps.setLong(1, key.versionId());
            ps.setLong(2, key.componentId());
            ps.setTimestamp(3, Timestamp.from(Instant.ofEpochSecond(key.bucketStart())));
            ps.setInt(4, bucketSeconds);
            ps.setInt(5, row.samples());
            ps.setDouble(6, row.cpuCoreSeconds());
            ps.setDouble(7, row.memoryMiBMax());
            ps.setDouble(8, row.requests());
            ps.setDouble(9, row.errors());
            ps.setDouble(10, row.inFlightMax());
            ps.setLong(11, key.versionId());
            ps.setLong(12, key.componentId());
        });
        batch(UPSERT_EDGE, drained.edges(), (ps, row) -> {
            var key = row.key();
            ps.setLong(1, key.versionId());
            ps.setLong(2, key.callerId());
            ps.setLong(3, key.calleeId());
            ps.setTimestamp(4, Timestamp.from(Instant.ofEpochSecond(key.bucketStart())));
            ps.setInt(5, bucketSeconds);
            ps.setInt(6, row.samples());
            ps.setDouble(7, row.calls());
            ps.setDouble(8, row.bytes());
            ps.setDouble(9, row.errors());
            ps.setDouble(10, row.latencyP50MsWeighted());
            ps.setDouble(11, row.latencyP99MsMax());
            ps.setLong(12, key.versionId());
            ps.setLong(13, key.callerId());
            ps.setLong(14, key.versionId());
            ps.setLong(15, key.calleeId());
        });
    }

    private <T> void batch(String sql, List<T> rows, Binder<T> binder) {
        int size = properties.batchSize();
        for (int from = 0; from < rows.size(); from += size) {
            List<T> chunk = rows.subList(from, Math.min(rows.size(), from + size));
            jdbc.batchUpdate(sql, chunk, chunk.size(), binder::bind);
            batchRows.record(chunk.size());
        }
    }

    private static boolean isForeignKeyViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (SQLException sql = t instanceof SQLException s ? s : null; sql != null; sql = sql.getNextException()) {
                if ("23503".equals(sql.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }
}
