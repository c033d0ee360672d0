package dev.weft.scheduler.load;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One load report of one agent, with names already resolved to database ids. Figures are rates
 * averaged over {@code intervalSeconds}, the time the agent says the report covers.
 */
public record LoadReport(
        String agentId,
        Instant observedAt,
        double intervalSeconds,
        List<ComponentSample> components,
        List<EdgeSample> edges) {

    public LoadReport {
        requireNonNull(agentId, "agentId is null");
        requireNonNull(observedAt, "observedAt is null");
        if (!(intervalSeconds > 0) || intervalSeconds > 3600) {
            throw new IllegalArgumentException("intervalSeconds must be in (0, 3600], was " + intervalSeconds);
        }
        components = List.copyOf(components);
        edges = List.copyOf(edges);
    }

    /** Load of one hosted component of one version: CPU in cores, memory in MiB, rates per second. */
    public record ComponentSample(
            long versionId,
            long componentId,
            double cpuCores,
            double memoryMiB,
            double requestsPerSecond,
            double errorsPerSecond,
            double inFlight) {}

    /** Load of one call edge within one version: rates per second, latency in milliseconds. */
    public record EdgeSample(
            long versionId,
            long callerId,
            long calleeId,
            double callsPerSecond,
            double bytesPerSecond,
            double latencyP50Ms,
            double latencyP99Ms,
            double errorsPerSecond) {}
}
