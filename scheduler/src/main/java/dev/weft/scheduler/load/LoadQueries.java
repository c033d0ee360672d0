package dev.weft.scheduler.load;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How the planner (and the REST API) read load: for one version over a window, per component and per call edge.
 * Rates are averaged over the time the counted reports cover ({@code coveredSeconds}), not over the whole window,
 * so a component that started reporting a minute ago shows its rate, not a sixtieth of it per hour of window.
 * Figures are for the whole component (every replica together) unless their name says per replica. It reads what
 * the writer has stored, so the newest {@code weft.load.open-flush-interval} (5 s) may not be in it yet; a bucket
 * belongs to the window when it starts in it.
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
     * Load of one component. For the whole component (summed over replicas, averaged over {@code coveredSeconds}):
     * {@code cpuCores}, {@code requestsPerSecond}, {@code errorsPerSecond}, {@code memoryMiBTotal},
     * {@code inFlightTotal}. Per replica: {@code memoryMiB} and {@code inFlight} are the highest any one replica
     * reported (what sizing a replica needs), {@code cpuCoresPerReplica} and {@code memoryMiBPerReplica} the mean of
     * one replica over the time it reported. {@code replicas} is the mean number of replicas that reported,
     * {@code samples} the number of reports that mentioned the component, {@code coveredSeconds} the time they
     * cover (0 when none did).
     */
    record ComponentLoad(
            long componentId,
            double cpuCores,
            double memoryMiB,
            double requestsPerSecond,
            double errorsPerSecond,
            double inFlight,
            long samples,
            double cpuCoresPerReplica,
            double memoryMiBPerReplica,
            double memoryMiBTotal,
            double inFlightTotal,
            double replicas,
            double coveredSeconds) {

        /** The figures of the first version of this record; the new ones follow from them for one replica. */
        public ComponentLoad(
                long componentId,
                double cpuCores,
                double memoryMiB,
                double requestsPerSecond,
                double errorsPerSecond,
                double inFlight,
                long samples) {
            this(
                    componentId,
                    cpuCores,
                    memoryMiB,
                    requestsPerSecond,
                    errorsPerSecond,
                    inFlight,
                    samples,
                    cpuCores,
                    memoryMiB,
                    memoryMiB,
                    inFlight,
                    samples > 0 ? 1 : 0,
                    0);
        }
    }

    /**
     * Load of one call edge: calls, bytes and errors per second summed over every agent and averaged over
     * {@code coveredSeconds}; p50 latency (ms) the calls-weighted mean of the reported medians (an approximation:
     * medians do not combine exactly); p99 the worst reported.
     */
    record EdgeLoad(
            long callerId,
            long calleeId,
            double callsPerSecond,
            double bytesPerSecond,
            double errorsPerSecond,
            double latencyP50Ms,
            double latencyP99Ms,
            long samples,
            double coveredSeconds) {

        /** The figures of the first version of this record. */
        public EdgeLoad(
                long callerId,
                long calleeId,
                double callsPerSecond,
                double bytesPerSecond,
                double errorsPerSecond,
                double latencyP50Ms,
                double latencyP99Ms,
                long samples) {
            this(
                    callerId,
                    calleeId,
                    callsPerSecond,
                    bytesPerSecond,
                    errorsPerSecond,
                    latencyP50Ms,
                    latencyP99Ms,
                    samples,
                    0);
        }
    }

    /**
     * The time a set of reports covers: from the earliest start to the latest end of their intervals, but never
     * more than the sum of the intervals, so a stretch no report covers (an agent silent for a while) is not
     * averaged in as zero load. Several replicas reporting side by side cover the span once.
     */
    static double covered(double spanSeconds, double replicaSeconds) {
        return Math.max(0, Math.min(spanSeconds, replicaSeconds));
    }

    /** {@code value} when it is a finite number, else the largest finite one: the API never answers NaN or Infinity. */
    static double finite(double value) {
        if (Double.isNaN(value)) {
            return 0;
        }
        return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, value));
    }

    /** {@code quantity / seconds}, or 0 when nothing was covered. */
    static double rate(double quantity, double seconds) {
        return seconds > 0 ? finite(quantity / seconds) : 0;
    }
}
