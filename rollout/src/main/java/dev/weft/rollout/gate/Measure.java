package dev.weft.rollout.gate;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * How each metric aggregates one version's load: over all its components and edges, or those of one
 * component (edges: the calls into it). The table in {@code rollout/README.md} is this class in prose.
 */
final class Measure {

    private Measure() {}

    static Side of(Metric metric, @Nullable String component, VersionLoad load, double seconds) {
        List<ComponentFigures> components = component == null
                ? load.components()
                : load.components().stream()
                        .filter(c -> c.component().equals(component))
                        .toList();
        List<EdgeFigures> edges = component == null
                ? load.edges()
                : load.edges().stream()
                        .filter(e -> e.callee().equals(component))
                        .toList();
        long componentSamples =
                components.stream().mapToLong(ComponentFigures::samples).sum();
        long edgeSamples = edges.stream().mapToLong(EdgeFigures::samples).sum();
        double requestRate = sum(components, ComponentFigures::requestsPerSecond);
        long requests = Math.round(requestRate * seconds);
        double callRate = sum(edges, EdgeFigures::callsPerSecond);
        long calls = Math.round(callRate * seconds);
        long versionRequests = Math.round(sum(load.components(), ComponentFigures::requestsPerSecond) * seconds);
        boolean reported = componentSamples > 0;
        String v = load.version();
        return switch (metric) {
            case ERROR_RATE ->
                new Side(
                        v,
                        requestRate > 0 ? sum(components, ComponentFigures::errorsPerSecond) / requestRate : null,
                        requests,
                        componentSamples);
            case REQUESTS_PER_SECOND -> new Side(v, reported ? requestRate : null, requests, componentSamples);
            case ERRORS_PER_SECOND ->
                new Side(
                        v,
                        reported ? sum(components, ComponentFigures::errorsPerSecond) : null,
                        requests,
                        componentSamples);
            case CPU_CORES ->
                new Side(
                        v,
                        reported ? sum(components, ComponentFigures::cpuCores) : null,
                        versionRequests,
                        componentSamples);
            case MEMORY_MIB ->
                new Side(
                        v,
                        reported
                                ? components.stream()
                                        .mapToDouble(ComponentFigures::memoryMiB)
                                        .max()
                                        .orElse(0)
                                : null,
                        versionRequests,
                        componentSamples);
            case IN_FLIGHT ->
                new Side(
                        v,
                        reported ? sum(components, ComponentFigures::inFlight) : null,
                        versionRequests,
                        componentSamples);
            case CALLS_PER_SECOND -> new Side(v, edgeSamples > 0 ? callRate : null, calls, edgeSamples);
            case BYTES_PER_SECOND ->
                new Side(v, edgeSamples > 0 ? sum(edges, EdgeFigures::bytesPerSecond) : null, calls, edgeSamples);
            case LATENCY_P50_MS ->
                new Side(v, weighted(edges, EdgeFigures::latencyP50Ms, callRate), calls, edgeSamples);
            case LATENCY_P99_MS, LATENCY_P99_RATIO ->
                new Side(v, weighted(edges, EdgeFigures::latencyP99Ms, callRate), calls, edgeSamples);
        };
    }

    private static <T> double sum(List<T> items, ToDoubleFunction<T> figure) {
        return items.stream().mapToDouble(figure).sum();
    }

    /** The calls-weighted mean of a latency over edges; undefined without calls. */
    private static @Nullable Double weighted(
            List<EdgeFigures> edges, ToDoubleFunction<EdgeFigures> latency, double callRate) {
        if (callRate <= 0) {
            return null;
        }
        double total = 0;
        for (EdgeFigures edge : edges) {
            total += latency.applyAsDouble(edge) * edge.callsPerSecond();
        }
        return total / callRate;
    }
}
