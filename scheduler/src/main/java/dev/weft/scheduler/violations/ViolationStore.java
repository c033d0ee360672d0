package dev.weft.scheduler.violations;

import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.system.WeftException;
import dev.weft.scheduler.violations.Violations.Kind;
import dev.weft.scheduler.violations.Violations.Observed;
import dev.weft.scheduler.violations.Violations.Source;
import dev.weft.scheduler.violations.Violations.Summary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@link Violations} over {@code version_violations}. */
@Service
class ViolationStore implements Violations {

    /** Kinds of call listed per application; the total counts all of them. */
    static final int MAX_KINDS = 1000;

    private final JdbcClient jdbc;
    private final AuditLog auditLog;
    private final MeterRegistry meters;
    private final Clock clock;

    ViolationStore(JdbcClient jdbc, AuditLog auditLog, MeterRegistry meters, Clock clock) {
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void record(String agentId, Source source, List<Observed> observed) {
        Instant now = clock.instant();
        for (Observed v : observed) {
            Optional<Long> application = applicationId(v.application());
            if (application.isEmpty()) {
                continue; // deleted meanwhile: nothing left to protect
            }
            jdbc.sql("""
                    insert into version_violations (application_id, caller_version, caller, callee_version, callee,
                        calls, source, agent_id, observed_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            application.get(),
                            v.callerVersion(),
                            v.caller(),
                            v.calleeVersion(),
                            v.callee(),
                            v.calls(),
                            source.name(),
                            agentId,
                            Timestamp.from(now))
                    .update();
            String how = source == Source.AGENT_REFUSED ? "refused" : "reported load of";
            auditLog.record(new AuditEvent(
                    "VERSION_VIOLATION",
                    v.application(),
                    v.calleeVersion(),
                    agentId,
                    "Agent '" + agentId + "' " + how + " " + v.calls() + " call(s) from " + v.caller() + "@"
                            + v.callerVersion() + " to " + v.callee() + "@" + v.calleeVersion(),
                    Map.of(
                            "source",
                            source.name(),
                            "callerVersion",
                            v.callerVersion(),
                            "caller",
                            v.caller(),
                            "callee",
                            v.callee(),
                            "count",
                            Long.toString(v.calls()))));
            meters.counter("weft.agents.violations", "application", v.application())
                    .increment((double) v.calls());
        }
    }

    @Override
    @Transactional(readOnly = true)
    public long callsSince(String application, Instant since) {
        return jdbc.sql("""
                select coalesce(sum(x.calls), 0) from version_violations x join applications a on a.id = x.application_id
                where a.name = ? and x.observed_at >= ?""")
                .params(application, Timestamp.from(since))
                .query(Long.class)
                .single();
    }

    @Transactional(readOnly = true)
    Summary summary(String application) {
        long id = applicationId(application)
                .orElseThrow(() -> new WeftException(
                        ViolationError.APPLICATION_NOT_FOUND, "Application '" + application + "' does not exist"));
        long total = jdbc.sql("select coalesce(sum(calls), 0) from version_violations where application_id = ?")
                .param(id)
                .query(Long.class)
                .single();
        List<Kind> kinds = jdbc.sql("""
                select caller_version, caller, callee_version, callee, source, sum(calls) as calls, count(*) as reports,
                       (array_agg(distinct agent_id order by agent_id))[1:20] as agents,
                       min(observed_at) as first_at, max(observed_at) as last_at
                from version_violations where application_id = ?
                group by caller_version, caller, callee_version, callee, source
                order by max(observed_at) desc, caller_version, caller, callee_version, callee, source
                limit ?""")
                .params(id, MAX_KINDS)
                .query((rs, n) -> {
                    Array agents = rs.getArray("agents");
                    return new Kind(
                            rs.getString("caller_version"),
                            rs.getString("caller"),
                            rs.getString("callee_version"),
                            rs.getString("callee"),
                            Source.valueOf(rs.getString("source")),
                            rs.getLong("calls"),
                            rs.getLong("reports"),
                            Arrays.stream((Object[]) agents.getArray())
                                    .map(String::valueOf)
                                    .toList(),
                            rs.getTimestamp("first_at").toInstant(),
                            rs.getTimestamp("last_at").toInstant());
                })
                .list();
        return new Summary(application, total, kinds);
    }

    private Optional<Long> applicationId(String name) {
        return jdbc.sql("select id from applications where name = ?")
                .param(name)
                .query(Long.class)
                .optional();
    }
}
