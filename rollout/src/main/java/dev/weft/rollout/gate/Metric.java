package dev.weft.rollout.gate;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The metric vocabulary of gates, named as in JSON. Each reads the figures the load API reports (per
 * component: cpu cores, memory MiB, requests/s, errors/s, in-flight; per call edge: calls/s, bytes/s, latency
 * p50/p99 ms), for the whole version or for one component. How each aggregates is in {@code rollout/README.md}.
 */
public enum Metric {
    /** Errors / requests of the new version (a fraction, 0..1). Takes only {@code max}. */
    ERROR_RATE("errorRate", Evidence.REQUESTS, true),
    /** p99 latency of the new version / p99 of the old one, over the same interval. Takes only {@code max}. */
    LATENCY_P99_RATIO("latencyP99Ratio", Evidence.CALLS, true),
    /** Cores of cpu, summed over components and agents. */
    CPU_CORES("cpuCores", Evidence.VERSION_REQUESTS, false),
    /** MiB of memory: the highest any one agent reported for a component (the highest component's). */
    MEMORY_MIB("memoryMiB", Evidence.VERSION_REQUESTS, false),
    /** Requests in flight, summed over components (each component's highest report). */
    IN_FLIGHT("inFlight", Evidence.VERSION_REQUESTS, false),
    /** Requests per second served, summed. */
    REQUESTS_PER_SECOND("requestsPerSecond", Evidence.REQUESTS, false),
    /** Errors per second, summed. */
    ERRORS_PER_SECOND("errorsPerSecond", Evidence.REQUESTS, false),
    /** Calls per second between components, summed over edges. */
    CALLS_PER_SECOND("callsPerSecond", Evidence.CALLS, false),
    /** Bytes per second between components, summed over edges. */
    BYTES_PER_SECOND("bytesPerSecond", Evidence.CALLS, false),
    /** Median call latency in ms, the calls-weighted mean over edges. */
    LATENCY_P50_MS("latencyP50Ms", Evidence.CALLS, false),
    /** p99 call latency in ms, the calls-weighted mean over edges. */
    LATENCY_P99_MS("latencyP99Ms", Evidence.CALLS, false);

    private final String jsonName;
    private final Evidence evidence;
    private final boolean maxOnly;

    Metric(String jsonName, Evidence evidence, boolean maxOnly) {
        this.jsonName = jsonName;
        this.evidence = evidence;
        this.maxOnly = maxOnly;
    }

    /** The name in JSON, e.g. {@code errorRate}. */
    public String jsonName() {
        return jsonName;
    }

    public Evidence evidence() {
        return evidence;
    }

    /** True for the comparisons that take only a {@code max} (error rate, latency ratio). */
    public boolean maxOnly() {
        return maxOnly;
    }

    /** True when the metric reads call edges, so it needs a version whose components call each other. */
    public boolean readsEdges() {
        return evidence == Evidence.CALLS;
    }

    public static Optional<Metric> fromJsonName(String name) {
        return Arrays.stream(values()).filter(m -> m.jsonName.equals(name)).findFirst();
    }

    /** Every JSON name, comma-separated, for error messages. */
    public static String jsonNames() {
        return Arrays.stream(values()).map(Metric::jsonName).collect(Collectors.joining(", "));
    }
}
