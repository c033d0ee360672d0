package dev.weft.scheduler.agents;

import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.scheduler.agents.AgentRow.ReplicaRecord;
import dev.weft.scheduler.agents.VersionCache.KnownVersion;
import dev.weft.scheduler.load.LoadReport;
import dev.weft.scheduler.load.LoadReport.ComponentSample;
import dev.weft.scheduler.load.LoadReport.EdgeSample;
import dev.weft.scheduler.violations.Violations;
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

    // The most one agent may report for one component or edge (api/README.md lists them): far above anything
    // real, and low enough that sums over every report of a month stay finite.
    static final double MAX_CPU_CORES = 100_000;
    static final double MAX_MEMORY_MIB = 1_000_000_000;
    static final double MAX_RATE = 1_000_000_000;
    static final double MAX_IN_FLIGHT = 1_000_000_000;
    static final double MAX_BYTES_PER_SECOND = 1_000_000_000_000.0;
    static final double MAX_LATENCY_MS = 3_600_000;

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
        long intervalSeconds = report.getInterval().getSeconds();
        int intervalNanos = report.getInterval().getNanos();
        // google.protobuf.Duration: nanos in -999999999..999999999 with the sign of seconds
        if (intervalNanos < -999_999_999
                || intervalNanos > 999_999_999
                || (intervalSeconds > 0 && intervalNanos < 0)
                || (intervalSeconds < 0 && intervalNanos > 0)) {
            throw invalid("load_report.interval is not a valid Duration (seconds " + intervalSeconds + ", nanos "
                    + intervalNanos + "): nanos must be -999999999..999999999 with the sign of seconds");
        }
        double interval = intervalSeconds + intervalNanos / 1e9;
        if (!(interval > 0) || interval > MAX_INTERVAL_SECONDS) {
            throw invalid("load_report.interval must be more than 0s and at most 3600s, was " + interval + "s");
        }
        Instant observedAt = clock.instant();
        if (report.hasObservedAt()) {
            long seconds = report.getObservedAt().getSeconds();
            int nanos = report.getObservedAt().getNanos();
            // google.protobuf.Timestamp: 0001-01-01 to 9999-12-31, nanos 0..999999999
            if (seconds < -62_135_596_800L || seconds > 253_402_300_799L || nanos < 0 || nanos > 999_999_999) {
                throw invalid("load_report.observed_at is not a valid Timestamp (seconds " + seconds + ", nanos "
                        + nanos + "): seconds from 0001-01-01 to 9999-12-31, nanos 0..999999999");
            }
            observedAt = Instant.ofEpochSecond(seconds, nanos);
        }
        // one cache lookup per version named, however many samples name it
        Map<String, KnownVersion> seen = new HashMap<>();
        List<ComponentSample> components = new ArrayList<>(report.getComponentsCount());
        Map<List<Long>, Integer> reportedComponents = new HashMap<>();
        for (int i = 0; i < report.getComponentsCount(); i++) {
            ComponentLoad load = report.getComponents(i);
            String at = "load_report.components[" + i + "]";
            KnownVersion version = version(seen, at, load.getApplication(), load.getVersion());
            long component = component(
                    version, at + ".component", load.getApplication(), load.getVersion(), load.getComponent());
            Integer earlier = reportedComponents.putIfAbsent(List.of(version.id(), component), i);
            if (earlier != null) {
                throw invalid(at + " reports component '" + load.getComponent() + "' of version '"
                        + load.getVersion() + "' again (load_report.components[" + earlier
                        + "] did already): send one entry per component");
            }
            components.add(new ComponentSample(
                    version.id(),
                    component,
                    figure(at + ".cpu_cores", load.getCpuCores(), MAX_CPU_CORES),
                    figure(at + ".memory_mib", load.getMemoryMib(), MAX_MEMORY_MIB),
                    figure(at + ".requests_per_second", load.getRequestsPerSecond(), MAX_RATE),
                    figure(at + ".errors_per_second", load.getErrorsPerSecond(), MAX_RATE),
                    figure(at + ".in_flight", load.getInFlight(), MAX_IN_FLIGHT)));
        }
        List<EdgeSample> edges = new ArrayList<>(report.getEdgesCount());
        Map<List<Long>, Integer> reportedEdges = new HashMap<>();
        for (int i = 0; i < report.getEdgesCount(); i++) {
            EdgeLoad load = report.getEdges(i);
            String at = "load_report.edges[" + i + "]";
            if (!load.getCallerVersion().equals(load.getCalleeVersion())) {
                throw crossVersion(seen, at, load, interval);
            }
            KnownVersion version = version(seen, at, load.getApplication(), load.getCallerVersion());
            long caller = component(
                    version, at + ".caller", load.getApplication(), load.getCallerVersion(), load.getCaller());
            long callee = component(
                    version, at + ".callee", load.getApplication(), load.getCallerVersion(), load.getCallee());
            if (caller == callee) {
                throw invalid(at + " is a call from component '" + load.getCaller()
                        + "' to itself; calls inside a component are not edges");
            }
            Integer earlier = reportedEdges.putIfAbsent(List.of(version.id(), caller, callee), i);
            if (earlier != null) {
                throw invalid(at + " reports the edge '" + load.getCaller() + "' -> '" + load.getCallee()
                        + "' of version '" + load.getCallerVersion() + "' again (load_report.edges[" + earlier
                        + "] did already): send one entry per edge");
            }
            edges.add(new EdgeSample(
                    version.id(),
                    caller,
                    callee,
                    figure(at + ".calls_per_second", load.getCallsPerSecond(), MAX_RATE),
                    figure(at + ".bytes_per_second", load.getBytesPerSecond(), MAX_BYTES_PER_SECOND),
                    figure(at + ".latency_p50_ms", load.getLatencyP50Ms(), MAX_LATENCY_MS),
                    figure(at + ".latency_p99_ms", load.getLatencyP99Ms(), MAX_LATENCY_MS),
                    figure(at + ".errors_per_second", load.getErrorsPerSecond(), MAX_RATE)));
        }
        return new LoadReport(agentId, observedAt, interval, components, edges);
    }

    /**
     * An edge between two versions refuses the report, and when both ends are registered it is also evidence of
     * the calls: {@code calls_per_second} over the interval, at least one.
     */
    private AgentException crossVersion(Map<String, KnownVersion> seen, String at, EdgeLoad load, double interval) {
        String detail = at + " is a call from version '" + load.getCallerVersion() + "' to version '"
                + load.getCalleeVersion() + "': calls across versions are violations";
        Violations.Observed evidence;
        try {
            KnownVersion callerVersion = version(seen, at, load.getApplication(), load.getCallerVersion());
            component(callerVersion, at + ".caller", load.getApplication(), load.getCallerVersion(), load.getCaller());
            KnownVersion calleeVersion = version(seen, at, load.getApplication(), load.getCalleeVersion());
            component(calleeVersion, at + ".callee", load.getApplication(), load.getCalleeVersion(), load.getCallee());
            double calls = figure(at + ".calls_per_second", load.getCallsPerSecond(), MAX_RATE) * interval;
            evidence = new Violations.Observed(
                    load.getApplication(),
                    load.getCallerVersion(),
                    load.getCaller(),
                    load.getCalleeVersion(),
                    load.getCallee(),
                    Math.max(1, (long) Math.ceil(Math.min(calls, 1e15))));
        } catch (AgentException unregistered) {
            // names nothing registered (or a bad figure): refused all the same, but no evidence to record
            return new AgentException(
                    AgentError.INVALID_REPORT,
                    detail + "; report them with ViolationReport (" + unregistered.detail() + ")");
        }
        return new AgentException(
                AgentError.INVALID_REPORT,
                detail + " (recorded as one); report them with ViolationReport, and the rest of the load again "
                        + "without this edge",
                evidence);
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

    private static double figure(String at, double value, double max) {
        if (!Double.isFinite(value) || value < 0) {
            throw new AgentException(AgentError.INVALID_FIGURE, at + " must be a finite number >= 0, was " + value);
        }
        if (value > max) {
            throw new AgentException(
                    AgentError.INVALID_FIGURE,
                    at + " must be at most " + (long) max + " (the most one replica can plausibly report), was "
                            + value);
        }
        return value;
    }

    /**
     * Checks that every replica an agent says it runs belongs to a registered version and names only that
     * version's components (NOT_FOUND otherwise), so no replica of something unknown is shown as running.
     */
    void checkReplicas(List<ReplicaRecord> replicas, String field) {
        Map<String, KnownVersion> seen = new HashMap<>();
        for (int i = 0; i < replicas.size(); i++) {
            ReplicaRecord replica = replicas.get(i);
            String at = field + "[" + i + "]";
            KnownVersion version = version(seen, at, replica.application(), replica.version());
            for (int j = 0; j < replica.components().size(); j++) {
                component(
                        version,
                        at + ".components[" + j + "]",
                        replica.application(),
                        replica.version(),
                        replica.components().get(j));
            }
        }
    }

    private static AgentException invalid(String message) {
        return new AgentException(AgentError.INVALID_REPORT, message);
    }
}
