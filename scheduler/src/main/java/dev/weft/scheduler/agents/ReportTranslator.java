package dev.weft.scheduler.agents;

import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.scheduler.agents.VersionCache.KnownVersion;
import dev.weft.scheduler.load.LoadReport;
import dev.weft.scheduler.load.LoadReport.ComponentSample;
import dev.weft.scheduler.load.LoadReport.EdgeSample;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Checks a wire load report and resolves its names to database ids, giving the {@link LoadReport}
 * ingestion takes. The first problem found is thrown, naming the field by its path in the report.
 */
@Component
class ReportTranslator {

    private static final double MAX_INTERVAL_SECONDS = 3600;

    private final VersionCache versions;
    private final Clock clock;

    ReportTranslator(VersionCache versions, Clock clock) {
        this.versions = versions;
        this.clock = clock;
    }

    LoadReport translate(String agentId, dev.weft.api.agent.v1.LoadReport report) {
        if (!report.hasInterval()) {
            throw invalid("load_report.interval is missing: say how long the report covers");
        }
        double interval =
                report.getInterval().getSeconds() + report.getInterval().getNanos() / 1e9;
        if (!(interval > 0) || interval > MAX_INTERVAL_SECONDS) {
            throw invalid("load_report.interval must be more than 0s and at most 3600s, was " + interval + "s");
        }
        Instant observedAt = report.hasObservedAt()
                ? Instant.ofEpochSecond(
                        report.getObservedAt().getSeconds(),
                        report.getObservedAt().getNanos())
                : clock.instant();
        // one cache lookup per version named, however many samples name it
        Map<String, KnownVersion> seen = new HashMap<>();
        List<ComponentSample> components = new ArrayList<>(report.getComponentsCount());
        for (int i = 0; i < report.getComponentsCount(); i++) {
            ComponentLoad load = report.getComponents(i);
            String at = "load_report.components[" + i + "]";
            KnownVersion version = version(seen, at, load.getApplication(), load.getVersion());
            long component = component(
                    version, at + ".component", load.getApplication(), load.getVersion(), load.getComponent());
            components.add(new ComponentSample(
                    version.id(),
                    component,
                    figure(at + ".cpu_cores", load.getCpuCores()),
                    figure(at + ".memory_mib", load.getMemoryMib()),
                    figure(at + ".requests_per_second", load.getRequestsPerSecond()),
                    figure(at + ".errors_per_second", load.getErrorsPerSecond()),
                    figure(at + ".in_flight", load.getInFlight())));
        }
        List<EdgeSample> edges = new ArrayList<>(report.getEdgesCount());
        for (int i = 0; i < report.getEdgesCount(); i++) {
            EdgeLoad load = report.getEdges(i);
            String at = "load_report.edges[" + i + "]";
            if (!load.getCallerVersion().equals(load.getCalleeVersion())) {
                throw invalid(at + " is a call from version '" + load.getCallerVersion() + "' to version '"
                        + load.getCalleeVersion()
                        + "': calls across versions are violations, report them with ViolationReport");
            }
            KnownVersion version = version(seen, at, load.getApplication(), load.getCallerVersion());
            long caller = component(
                    version, at + ".caller", load.getApplication(), load.getCallerVersion(), load.getCaller());
            long callee = component(
                    version, at + ".callee", load.getApplication(), load.getCallerVersion(), load.getCallee());
            edges.add(new EdgeSample(
                    version.id(),
                    caller,
                    callee,
                    figure(at + ".calls_per_second", load.getCallsPerSecond()),
                    figure(at + ".bytes_per_second", load.getBytesPerSecond()),
                    figure(at + ".latency_p50_ms", load.getLatencyP50Ms()),
                    figure(at + ".latency_p99_ms", load.getLatencyP99Ms()),
                    figure(at + ".errors_per_second", load.getErrorsPerSecond())));
        }
        return new LoadReport(agentId, observedAt, interval, components, edges);
    }

    private KnownVersion version(Map<String, KnownVersion> seen, String at, String application, String version) {
        if (application.isEmpty()) {
            throw invalid(at + ".application is missing");
        }
        if (version.isEmpty()) {
            throw invalid(at + " names no version of application '" + application + "'");
        }
        KnownVersion known = seen.get(application + '\u0000' + version);
        if (known == null) {
            known = versions.find(application, version)
                    .orElseThrow(() -> new AgentException(
                            AgentError.UNKNOWN_VERSION,
                            at + ": application '" + application + "' has no registered version '" + version + "'"));
            seen.put(application + '\u0000' + version, known);
        }
        return known;
    }

    private static long component(
            KnownVersion version, String at, String application, String versionName, String component) {
        if (component.isEmpty()) {
            throw invalid(at + " is missing");
        }
        Long id = version.componentIds().get(component);
        if (id == null) {
            throw new AgentException(
                    AgentError.UNKNOWN_COMPONENT,
                    at + ": version '" + versionName + "' of application '" + application + "' has no component '"
                            + component + "'");
        }
        return id;
    }

    private static double figure(String at, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new AgentException(AgentError.INVALID_FIGURE, at + " must be a finite number >= 0, was " + value);
        }
        return value;
    }

    private static AgentException invalid(String message) {
        return new AgentException(AgentError.INVALID_REPORT, message);
    }
}
