package dev.weft.agent.node;

import com.google.protobuf.Timestamp;
import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.Violation;
import dev.weft.api.runtime.v1.ComponentCounters;
import dev.weft.api.runtime.v1.EdgeCounters;
import dev.weft.api.runtime.v1.RefusedCalls;
import dev.weft.api.runtime.v1.ReplicaLoad;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Sums what the agent's replicas measured into the figures of a LoadReport: per (application, version,
 * component) and per (application, version, caller, callee), over the interval since the previous report. Counts
 * become rates by dividing by the interval; CPU time becomes cores; busy time becomes the average number of calls
 * in flight (Little's law); latency histograms of all replicas are merged before taking p50 and p99; a replica's
 * memory is shared equally by the components it hosts. Also counts refused cross-version calls for the
 * ViolationReport.
 */
final class LoadAggregator {

    /** Where a replica's figures belong. */
    record Source(String application, String version, List<String> components) {}

    private record ComponentKey(String application, String version, String component) {}

    private record EdgeKey(String application, String version, String caller, String callee) {}

    private record ViolationKey(
            String application, String callerVersion, String calleeVersion, String caller, String callee) {}

    private static final class ComponentSum {
        long calls;
        long errors;
        long cpuNanos;
        long busyNanos;
    }

    private static final class EdgeSum {
        long calls;
        long errors;
        long bytes;
        final Histogram latency = new Histogram(3_600_000_000L, 2);
    }

    private static final class Latest {
        long memoryBytes;
        Map<String, Integer> inFlight = Map.of();
        Source source;

        Latest(Source source) {
            this.source = source;
        }
    }

    private final java.time.Clock clock;
    private final Map<ComponentKey, ComponentSum> components = new HashMap<>();
    private final Map<EdgeKey, EdgeSum> edges = new HashMap<>();
    private final Map<String, Latest> replicas = new HashMap<>();
    private final Map<ViolationKey, long[]> violations = new HashMap<>();
    private final Map<ViolationKey, Instant> violationSeen = new HashMap<>();

    LoadAggregator(java.time.Clock clock) {
        this.clock = clock;
    }

    /** A replica started: its components are reported from now on, with or without traffic. */
    synchronized void attach(String assignmentId, Source source) {
        replicas.put(assignmentId, new Latest(source));
    }

    /** A replica stopped. */
    synchronized void detach(String assignmentId) {
        replicas.remove(assignmentId);
    }

    synchronized void add(String assignmentId, ReplicaLoad load) {
        Latest latest = replicas.get(assignmentId);
        if (latest == null) {
            return;
        }
        Source source = latest.source;
        latest.memoryBytes = load.getMemoryBytes();
        Map<String, Integer> inFlight = new HashMap<>();
        for (ComponentCounters c : load.getComponentsList()) {
            ComponentSum sum = components.computeIfAbsent(
                    new ComponentKey(source.application(), source.version(), c.getComponent()),
                    k -> new ComponentSum());
            sum.calls += c.getCalls();
            sum.errors += c.getErrors();
            sum.cpuNanos += c.getCpuNanos();
            sum.busyNanos += c.getBusyNanos();
            inFlight.put(c.getComponent(), c.getInFlight());
        }
        latest.inFlight = inFlight;
        for (EdgeCounters e : load.getEdgesList()) {
            EdgeSum sum = edges.computeIfAbsent(
                    new EdgeKey(source.application(), source.version(), e.getCaller(), e.getCallee()),
                    k -> new EdgeSum());
            sum.calls += e.getCalls();
            sum.errors += e.getErrors();
            sum.bytes += e.getBytes();
            if (!e.getLatencyHistogram().isEmpty()) {
                try {
                    sum.latency.add(Histogram.decodeFromCompressedByteBuffer(
                            ByteBuffer.wrap(e.getLatencyHistogram().toByteArray()), 0));
                } catch (DataFormatException | RuntimeException ex) {
                    // a damaged histogram loses its latencies, not its counts
                }
            }
        }
        for (RefusedCalls refused : load.getRefusedList()) {
            violation(
                    source.application(),
                    refused.getCallerVersion(),
                    source.version(),
                    refused.getCaller(),
                    refused.getCallee(),
                    refused.getCount(),
                    clock.instant());
        }
    }

    synchronized void violation(
            String application,
            String callerVersion,
            String calleeVersion,
            String caller,
            String callee,
            long count,
            Instant when) {
        ViolationKey key = new ViolationKey(application, callerVersion, calleeVersion, caller, callee);
        violations.computeIfAbsent(key, k -> new long[1])[0] += count;
        violationSeen.put(key, when);
    }

    /** The violations since the previous call, at most 100 kinds (the protocol's limit), then forgets them. */
    synchronized List<Violation> drainViolations() {
        List<Violation> out = new ArrayList<>();
        var it = violations.entrySet().iterator();
        while (it.hasNext() && out.size() < 100) {
            var entry = it.next();
            ViolationKey key = entry.getKey();
            Instant seen = violationSeen.remove(key);
            out.add(Violation.newBuilder()
                    .setApplication(key.application())
                    .setCallerVersion(key.callerVersion())
                    .setCalleeVersion(key.calleeVersion())
                    .setCaller(key.caller())
                    .setCallee(key.callee())
                    .setCount(entry.getValue()[0])
                    .setLastSeen(timestamp(seen == null ? clock.instant() : seen))
                    .build());
            it.remove();
        }
        return out;
    }

    /** Usage now: CPU of the last interval is not known here, so only memory is summed (MiB) and cpu left 0. */
    synchronized Resources usage(double cpuCores) {
        long bytes = replicas.values().stream().mapToLong(l -> l.memoryBytes).sum();
        return Resources.newBuilder()
                .setCpuMillicores((int) Math.min(Integer.MAX_VALUE, Math.round(cpuCores * 1000)))
                .setMemoryMib((int) Math.min(Integer.MAX_VALUE, bytes / (1024 * 1024)))
                .build();
    }

    /** Total CPU cores of the last report. */
    private double lastCpuCores;

    synchronized double lastCpuCores() {
        return lastCpuCores;
    }

    /** The report of everything since the previous one; the sums start again from zero. */
    synchronized LoadReport drain(long sequence, Instant observedAt, Duration interval) {
        double seconds = Math.max(1e-3, interval.toNanos() / 1e9);
        LoadReport.Builder report = LoadReport.newBuilder()
                .setSequence(sequence)
                .setObservedAt(timestamp(observedAt))
                .setInterval(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(interval.getSeconds())
                        .setNanos(interval.getNano()));
        Map<ComponentKey, double[]> memoryAndInFlight = new HashMap<>();
        for (Latest latest : replicas.values()) {
            int n = Math.max(1, latest.source.components().size());
            for (String component : latest.source.components()) {
                double[] figures = memoryAndInFlight.computeIfAbsent(
                        new ComponentKey(latest.source.application(), latest.source.version(), component),
                        k -> new double[2]);
                figures[0] += latest.memoryBytes / (double) n / (1024 * 1024);
            }
        }
        java.util.Set<ComponentKey> keys =
                new java.util.TreeSet<>(java.util.Comparator.comparing(ComponentKey::toString));
        keys.addAll(memoryAndInFlight.keySet());
        keys.addAll(components.keySet());
        double cpuTotal = 0;
        for (ComponentKey key : keys) {
            ComponentSum sum = components.getOrDefault(key, new ComponentSum());
            double[] figures = memoryAndInFlight.getOrDefault(key, new double[2]);
            double cpu = sum.cpuNanos / 1e9 / seconds;
            cpuTotal += cpu;
            report.addComponents(ComponentLoad.newBuilder()
                    .setApplication(key.application())
                    .setVersion(key.version())
                    .setComponent(key.component())
                    .setCpuCores(finite(cpu))
                    .setMemoryMib(finite(figures[0]))
                    .setRequestsPerSecond(finite(sum.calls / seconds))
                    .setErrorsPerSecond(finite(sum.errors / seconds))
                    .setInFlight(finite(sum.busyNanos / 1e9 / seconds)));
        }
        for (var entry : edges.entrySet()) {
            EdgeKey key = entry.getKey();
            EdgeSum sum = entry.getValue();
            if (sum.calls == 0) {
                continue;
            }
            report.addEdges(EdgeLoad.newBuilder()
                    .setApplication(key.application())
                    .setCallerVersion(key.version())
                    .setCalleeVersion(key.version())
                    .setCaller(key.caller())
                    .setCallee(key.callee())
                    .setCallsPerSecond(finite(sum.calls / seconds))
                    .setBytesPerSecond(finite(sum.bytes / seconds))
                    .setLatencyP50Ms(finite(sum.latency.getValueAtPercentile(50) / 1000.0))
                    .setLatencyP99Ms(finite(sum.latency.getValueAtPercentile(99) / 1000.0))
                    .setErrorsPerSecond(finite(sum.errors / seconds)));
        }
        components.clear();
        edges.clear();
        lastCpuCores = cpuTotal;
        return report.build();
    }

    /** Calls in flight in a replica's components, as it last said. */
    synchronized int inFlight(String assignmentId) {
        Latest latest = replicas.get(assignmentId);
        return latest == null
                ? 0
                : latest.inFlight.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static double finite(double value) {
        return Double.isFinite(value) && value > 0 ? value : 0;
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }
}
