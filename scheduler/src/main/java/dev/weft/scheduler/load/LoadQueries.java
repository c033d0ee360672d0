package dev.weft.scheduler.load;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How the planner (and the REST API) read load: for one version over a window, per component and per
 * call edge, as rates averaged over the whole window (time without reports counts as no load). It reads
 * what the writer has stored, so the newest {@code weft.load.flush-interval} plus
 * {@code open-flush-interval} may not be in it yet. A bucket belongs to the window when it starts in it.
 */
public interface LoadQueries {

    /** Load of one version over {@code [from, to)}; {@code from} must be before {@code to}. */
    WindowLoad window(long versionId, Instant from, Instant to);

    /** Load of one version over a window. Lists hold only components and edges with reports in it. */
    record WindowLoad(long versionId, Instant from, Instant to, List<ComponentLoad> components, List<EdgeLoad> edges) {

        public WindowLoad {
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            components = List.copyOf(components);
            edges = List.copyOf(edges);
        }

        public double seconds() {
            return Duration.between(from, to).toNanos() / 1e9;
        }
    }

    /**
     * Load of one component: CPU in cores and requests and errors per second summed over every agent;
     * memory (MiB) and in-flight requests the highest any one agent reported; samples is the number of
     * reports that mentioned it.
     */
    record ComponentLoad(
            long componentId,
            double cpuCores,
            double memoryMiB,
            double requestsPerSecond,
            double errorsPerSecond,
            double inFlight,
            long samples) {}

    /**
     * Load of one call edge: calls, bytes and errors per second summed over every agent; p50 latency
     * (ms) the calls-weighted mean of the reported medians; p99 the worst reported.
     */
    record EdgeLoad(
            long callerId,
            long calleeId,
            double callsPerSecond,
            double bytesPerSecond,
            double errorsPerSecond,
            double latencyP50Ms,
            double latencyP99Ms,
            long samples) {}
}
