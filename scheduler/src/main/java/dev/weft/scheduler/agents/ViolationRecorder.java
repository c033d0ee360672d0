package dev.weft.scheduler.agents;

import dev.weft.api.agent.v1.Violation;
import dev.weft.api.agent.v1.ViolationReport;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the cross-version calls agents refused to the audit log ({@code VERSION_VIOLATION}, one event per
 * reported kind of call) and counts them in {@code weft.agents.violations}. The target is zero, so any
 * event here is worth an operator's attention.
 */
@Component
class ViolationRecorder {

    static final int MAX_VIOLATIONS_PER_REPORT = 100;

    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;
    private final VersionCache versions;
    private final DatabaseGate gate;

    ViolationRecorder(
            AuditLog auditLog,
            TransactionTemplate transactions,
            MeterRegistry meters,
            VersionCache versions,
            DatabaseGate gate) {
        this.auditLog = auditLog;
        this.transactions = transactions;
        this.meters = meters;
        this.versions = versions;
        this.gate = gate;
    }

    void record(String agentId, ViolationReport report) {
        if (report.getViolationsCount() > MAX_VIOLATIONS_PER_REPORT) {
            throw new AgentException(
                    AgentError.INVALID_REPORT,
                    "violation_report.violations lists " + report.getViolationsCount() + " kinds of call, at most "
                            + MAX_VIOLATIONS_PER_REPORT + " allowed; aggregate them");
        }
        for (int i = 0; i < report.getViolationsCount(); i++) {
            Violation v = report.getViolations(i);
            String at = "violation_report.violations[" + i + "]";
            if (v.getApplication().isEmpty()
                    || v.getCallerVersion().isEmpty()
                    || v.getCalleeVersion().isEmpty()
                    || v.getCaller().isEmpty()
                    || v.getCallee().isEmpty()) {
                throw new AgentException(
                        AgentError.INVALID_REPORT, at + " must name application, both versions and both components");
            }
            if (v.getCount() <= 0) {
                throw new AgentException(
                        AgentError.INVALID_FIGURE,
                        at + ".count must be at least 1, was " + Long.toUnsignedString(v.getCount()));
            }
            // only registered names reach the audit log and the metric's tags
            known(at + ".caller", v.getApplication(), v.getCallerVersion(), v.getCaller());
            known(at + ".callee", v.getApplication(), v.getCalleeVersion(), v.getCallee());
        }
        gate.run(() -> transactions.executeWithoutResult(tx -> {
            for (Violation v : report.getViolationsList()) {
                auditLog.record(new AuditEvent(
                        "VERSION_VIOLATION",
                        AgentHello.abbreviate(v.getApplication()),
                        AgentHello.abbreviate(v.getCalleeVersion()),
                        agentId,
                        "Agent '" + agentId + "' refused " + Long.toUnsignedString(v.getCount()) + " call(s) from "
                                + v.getCaller() + "@" + v.getCallerVersion() + " to " + v.getCallee() + "@"
                                + v.getCalleeVersion(),
                        Map.of(
                                "callerVersion",
                                v.getCallerVersion(),
                                "caller",
                                v.getCaller(),
                                "callee",
                                v.getCallee(),
                                "count",
                                Long.toUnsignedString(v.getCount()))));
                meters.counter("weft.agents.violations", "application", v.getApplication())
                        .increment((double) v.getCount());
            }
        }));
    }

    private void known(String at, String application, String version, String component) {
        VersionCache.KnownVersion known = versions.find(application, version)
                .orElseThrow(() -> new AgentException(
                        AgentError.UNKNOWN_VERSION,
                        at + ": application '" + AgentHello.abbreviate(application) + "' has no registered version '"
                                + AgentHello.abbreviate(version) + "'"));
        if (!known.componentIds().containsKey(component)) {
            throw new AgentException(
                    AgentError.UNKNOWN_COMPONENT,
                    at + ": version '" + version + "' of application '" + application + "' has no component '"
                            + AgentHello.abbreviate(component) + "'");
        }
    }
}
