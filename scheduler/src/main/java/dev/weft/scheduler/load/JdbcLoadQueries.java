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
        double seconds = java.time.Duration.between(from, to).toNanos() / 1e9;
        var components = jdbc.sql("""
                        select component_id, sum(samples) as samples, sum(cpu_core_seconds) as cpu, max(memory_mib_max) as memory,
                               sum(requests) as requests, sum(errors) as errors, max(in_flight_max) as in_flight
                        from component_load
                        where version_id = ? and bucket_start >= ? and bucket_start < ?
                        group by component_id order by component_id""")
                .params(versionId, Timestamp.from(from), Timestamp.from(to))
                .query((rs, n) -> new ComponentLoad(
                        rs.getLong("component_id"),
                        rs.getDouble("cpu") / seconds,
                        rs.getDouble("memory"),
                        rs.getDouble("requests") / seconds,
                        rs.getDouble("errors") / seconds,
                        rs.getDouble("in_flight"),
                        rs.getLong("samples")))
                .list();
        var edges = jdbc.sql("""
                        select caller_id, callee_id, sum(samples) as samples, sum(calls) as calls, sum(bytes) as bytes,
                               sum(errors) as errors, sum(latency_p50_ms_weighted) as p50_weighted, max(latency_p99_ms_max) as p99
                        from edge_load
                        where version_id = ? and bucket_start >= ? and bucket_start < ?
                        group by caller_id, callee_id order by caller_id, callee_id""")
                .params(versionId, Timestamp.from(from), Timestamp.from(to))
                .query((rs, n) -> {
                    double calls = rs.getDouble("calls");
                    return new EdgeLoad(
                            rs.getLong("caller_id"),
                            rs.getLong("callee_id"),
                            calls / seconds,
                            rs.getDouble("bytes") / seconds,
                            rs.getDouble("errors") / seconds,
                            calls > 0 ? rs.getDouble("p50_weighted") / calls : 0,
                            rs.getDouble("p99"),
                            rs.getLong("samples"));
                })
                .list();
        return new WindowLoad(versionId, from, to, components, edges);
    }
}
