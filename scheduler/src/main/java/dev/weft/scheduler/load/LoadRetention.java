package dev.weft.scheduler.load;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the load tables small: raw buckets older than {@code weft.load.retention} are folded into
 * buckets of {@code weft.load.compacted-bucket} (sums added, maxima kept, so rates over any window
 * aligned to the coarse bucket stay exact), and anything older than {@code compacted-retention} is deleted.
 */
@Component
class LoadRetention {

    // A raw row that starts a coarse bucket is the conflict target: it is replaced by the aggregate (which
    // includes it); a row that is already coarse (an earlier run) is added to.
    private static final String COMPACT_COMPONENTS = """
            insert into component_load (version_id, component_id, bucket_start, bucket_seconds, samples,
                                        cpu_core_seconds, memory_mib_max, requests, errors, in_flight_max,
                                        replica_seconds, memory_mib_seconds, in_flight_seconds, reported_from, reported_to)
            select version_id, component_id, to_timestamp(floor(extract(epoch from bucket_start) / :coarse) * :coarse), :coarse,
                   sum(samples), sum(cpu_core_seconds), max(memory_mib_max), sum(requests), sum(errors), max(in_flight_max),
                   sum(replica_seconds), sum(memory_mib_seconds), sum(in_flight_seconds), min(reported_from), max(reported_to)
            from component_load
            where bucket_seconds < :coarse and bucket_start < :cutoff
            group by 1, 2, 3
            on conflict (version_id, component_id, bucket_start) do update set
                bucket_seconds = excluded.bucket_seconds,
                samples = excluded.samples + case when component_load.bucket_seconds < :coarse then 0 else component_load.samples end,
                cpu_core_seconds = excluded.cpu_core_seconds
                    + case when component_load.bucket_seconds < :coarse then 0 else component_load.cpu_core_seconds end,
                memory_mib_max = greatest(excluded.memory_mib_max, component_load.memory_mib_max),
                requests = excluded.requests + case when component_load.bucket_seconds < :coarse then 0 else component_load.requests end,
                errors = excluded.errors + case when component_load.bucket_seconds < :coarse then 0 else component_load.errors end,
                in_flight_max = greatest(excluded.in_flight_max, component_load.in_flight_max),
                replica_seconds = excluded.replica_seconds
                    + case when component_load.bucket_seconds < :coarse then 0 else component_load.replica_seconds end,
                memory_mib_seconds = excluded.memory_mib_seconds
                    + case when component_load.bucket_seconds < :coarse then 0 else component_load.memory_mib_seconds end,
                in_flight_seconds = excluded.in_flight_seconds
                    + case when component_load.bucket_seconds < :coarse then 0 else component_load.in_flight_seconds end,
                reported_from = least(excluded.reported_from, component_load.reported_from),
                reported_to = greatest(excluded.reported_to, component_load.reported_to)""";

    private static final String COMPACT_EDGES = """
            insert into edge_load (version_id, caller_id, callee_id, bucket_start, bucket_seconds, samples,
                                   calls, bytes, errors, latency_p50_ms_weighted, latency_p99_ms_max,
                                   replica_seconds, reported_from, reported_to)
            select version_id, caller_id, callee_id, to_timestamp(floor(extract(epoch from bucket_start) / :coarse) * :coarse), :coarse,
                   sum(samples), sum(calls), sum(bytes), sum(errors), sum(latency_p50_ms_weighted), max(latency_p99_ms_max),
                   sum(replica_seconds), min(reported_from), max(reported_to)
            from edge_load
            where bucket_seconds < :coarse and bucket_start < :cutoff
            group by 1, 2, 3, 4
            on conflict (version_id, caller_id, callee_id, bucket_start) do update set
                bucket_seconds = excluded.bucket_seconds,
                samples = excluded.samples + case when edge_load.bucket_seconds < :coarse then 0 else edge_load.samples end,
                calls = excluded.calls + case when edge_load.bucket_seconds < :coarse then 0 else edge_load.calls end,
                bytes = excluded.bytes + case when edge_load.bucket_seconds < :coarse then 0 else edge_load.bytes end,
                errors = excluded.errors + case when edge_load.bucket_seconds < :coarse then 0 else edge_load.errors end,
                latency_p50_ms_weighted = excluded.latency_p50_ms_weighted
                    + case when edge_load.bucket_seconds < :coarse then 0 else edge_load.latency_p50_ms_weighted end,
                latency_p99_ms_max = greatest(excluded.latency_p99_ms_max, edge_load.latency_p99_ms_max),
                replica_seconds = excluded.replica_seconds
                    + case when edge_load.bucket_seconds < :coarse then 0 else edge_load.replica_seconds end,
                reported_from = least(excluded.reported_from, edge_load.reported_from),
                reported_to = greatest(excluded.reported_to, edge_load.reported_to)""";

    /** The advisory lock key of load retention ("weft-ret" in ASCII). */
    static final long ADVISORY_LOCK = 0x7765_6674_2d72_6574L;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final LoadProperties properties;
    private final Clock clock;
    private final Counter compacted;
    private final Counter deleted;

    LoadRetention(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            LoadProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
        this.compacted = Counter.builder("weft.load.retention.compacted")
                .description("Raw bucket rows folded into compacted buckets")
                .register(meters);
        this.deleted = Counter.builder("weft.load.retention.deleted")
                .description("Compacted bucket rows deleted after their retention")
                .register(meters);
    }

    /** What one run did. */
    record Outcome(int rawRowsCompacted, int rowsDeleted) {}

    /** Compacts and deletes by the clock's current time; one transaction. */
    Outcome run() {
        Instant now = clock.instant();
        long coarse = properties.compactedBucketSeconds();
        // Cut at a coarse-bucket boundary so a coarse bucket is never built from part of its raw rows.
        long cutoffSecond = Math.floorDiv(now.minus(properties.retention()).getEpochSecond(), coarse) * coarse;
        Timestamp cutoff = Timestamp.from(Instant.ofEpochSecond(cutoffSecond));
        Timestamp expiry = Timestamp.from(now.minus(properties.compactedRetention()));
        Outcome outcome = transactions.execute(status -> {
            // Several control-plane nodes may share the database: the second compaction of the same rows would add
            // them to the coarse bucket again, so only one node compacts at a time and the others skip their turn.
            if (!Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_xact_lock(?)")
                    .param(ADVISORY_LOCK)
                    .query(Boolean.class)
                    .single())) {
                return new Outcome(0, 0);
            }
            jdbc.sql(COMPACT_COMPONENTS)
                    .param("coarse", (int) coarse)
                    .param("cutoff", cutoff)
                    .update();
            jdbc.sql(COMPACT_EDGES)
                    .param("coarse", (int) coarse)
                    .param("cutoff", cutoff)
                    .update();
            int raw = jdbc.sql("delete from component_load where bucket_seconds < ? and bucket_start < ?")
                            .params((int) coarse, cutoff)
                            .update()
                    + jdbc.sql("delete from edge_load where bucket_seconds < ? and bucket_start < ?")
                            .params((int) coarse, cutoff)
                            .update();
            int old = jdbc.sql("delete from component_load where bucket_start < ?")
                            .params(expiry)
                            .update()
                    + jdbc.sql("delete from edge_load where bucket_start < ?")
                            .params(expiry)
                            .update();
            return new Outcome(raw, old);
        });
        compacted.increment(outcome.rawRowsCompacted());
        deleted.increment(outcome.rowsDeleted());
        return outcome;
    }
}
