package dev.weft.scheduler.agents;

import dev.weft.api.agent.v1.Violation;
import dev.weft.api.agent.v1.ViolationReport;
import dev.weft.scheduler.violations.Violations;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Checks the cross-version calls agents refused (or listed as load) and hands them to {@link Violations}, which
 * stores them, logs a {@code VERSION_VIOLATION} event per kind of call and counts them in
 * {@code weft.agents.violations}. The target is zero, so any event here is worth an operator's attention.
 */
@Component
class ViolationRecorder {

    static final int MAX_VIOLATIONS_PER_REPORT = 100;

    private final Violations violations;
    private final VersionCache versions;
    private final DatabaseGate gate;

    ViolationRecorder(Violations violations, VersionCache versions, DatabaseGate gate) {
        this.violations = violations;
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
        List<Violations.Observed> observed = report.getViolationsList().stream()
                .map(v -> new Violations.Observed(
                        v.getApplication(),
                        v.getCallerVersion(),
                        v.getCaller(),
                        v.getCalleeVersion(),
                        v.getCallee(),
                        v.getCount()))
                .toList();
        gate.run(() -> violations.record(agentId, Violations.Source.AGENT_REFUSED, observed));
    }

    /**
     * A load report's edge between two versions: evidence that such calls happened. Recorded (when every name is
     * registered) before the report is refused.
     */
    void recordEdge(String agentId, Violations.Observed observed) {
        gate.run(() -> violations.record(agentId, Violations.Source.LOAD_EDGE, List.of(observed)));
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
