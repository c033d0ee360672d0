package dev.weft.scheduler.load;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads load windows with two aggregate queries over the bucket tables. */
@Service
class JdbcLoadQueries implements LoadQueries {

    private final JdbcClient jdbc;

    JdbcLoadQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(readOnly = true)
    public WindowLoad window(long versionId, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("window must start before it ends, was " + from + " .. " + to);
        }
        var components = jdbc.sql("""
                        select component_id, sum(samples) as samples, sum(cpu_core_seconds) as cpu, max(memory_mib_max) as memory,
                               sum(requests) as requests, sum(errors) as errors, max(in_flight_max) as in_flight,
                               sum(replica_seconds) as replica_seconds, sum(memory_mib_seconds) as memory_seconds,
                               sum(in_flight_seconds) as in_flight_seconds,
                               extract(epoch from max(reported_to) - min(reported_from)) as span
                        from component_load
                        where version_id = ? and bucket_start >= ? and bucket_start < ?
                        group by component_id order by component_id""")
                .params(versionId, Timestamp.from(from), Timestamp.from(to))
                .query((rs, n) -> {
                    double replicaSeconds = rs.getDouble("replica_seconds");
                    double covered = LoadQueries.covered(rs.getDouble("span"), replicaSeconds);
                    return new ComponentLoad(
                            rs.getLong("component_id"),
                            LoadQueries.rate(rs.getDouble("cpu"), covered),
                            LoadQueries.finite(rs.getDouble("memory")),
                            LoadQueries.rate(rs.getDouble("requests"), covered),
                            LoadQueries.rate(rs.getDouble("errors"), covered),
                            LoadQueries.finite(rs.getDouble("in_flight")),
                            rs.getLong("samples"),
                            LoadQueries.rate(rs.getDouble("cpu"), replicaSeconds),
                            LoadQueries.rate(rs.getDouble("memory_seconds"), replicaSeconds),
                            LoadQueries.rate(rs.getDouble("memory_seconds"), covered),
                            LoadQueries.rate(rs.getDouble("in_flight_seconds"), covered),
                            LoadQueries.rate(replicaSeconds, covered),
                            covered);
                })
                .list();
        var edges = jdbc.sql("""
                        select caller_id, callee_id, sum(samples) as samples, sum(calls) as calls, sum(bytes) as bytes,
                               sum(errors) as errors, sum(latency_p50_ms_weighted) as p50_weighted, max(latency_p99_ms_max) as p99,
                               sum(replica_seconds) as replica_seconds,
                               extract(epoch from max(reported_to) - min(reported_from)) as span
                        from edge_load
                        where version_id = ? and bucket_start >= ? and bucket_start < ?
                        group by caller_id, callee_id order by caller_id, callee_id""")
                .params(versionId, Timestamp.from(from), Timestamp.from(to))
                .query((rs, n) -> {
                    double calls = rs.getDouble("calls");
                    double covered = LoadQueries.covered(rs.getDouble("span"), rs.getDouble("replica_seconds"));
                    return new EdgeLoad(
                            rs.getLong("caller_id"),
                            rs.getLong("callee_id"),
                            LoadQueries.rate(calls, covered),
                            LoadQueries.rate(rs.getDouble("bytes"), covered),
                            LoadQueries.rate(rs.getDouble("errors"), covered),
                            // a mean of medians never exceeds the worst p99 reported
                            Math.min(
                                    LoadQueries.rate(rs.getDouble("p50_weighted"), calls),
                                    LoadQueries.finite(rs.getDouble("p99"))),
                            LoadQueries.finite(rs.getDouble("p99")),
                            rs.getLong("samples"),
                            covered);
                })
                .list();
        return new WindowLoad(versionId, from, to, components, edges);
    }
}
