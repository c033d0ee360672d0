package dev.weft.scheduler.registry;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A version as an operator registers it (the JSON body of {@code POST .../versions}). Every field is
 * nullable here because the {@link VersionSpecValidator} names each missing one; after validation the
 * spec is canonical: defaults filled in and every list sorted, so equal specs are equal records.
 */
public record VersionSpec(
        @Nullable String version,
        @Nullable String artifact,
        @Nullable List<ComponentSpec> components,
        @Nullable List<EdgeSpec> edges,
        @Nullable ConstraintsSpec constraints) {

    /**
     * One component: resource hints are per replica of the process that hosts it.
     *
     * @param cpuMillis CPU the component needs per replica, in millicores (1..256000)
     * @param memoryMiB memory it needs per replica, in MiB (1..1048576)
     * @param minReplicas fewest replicas (default 1)
     * @param maxReplicas most replicas (default 100)
     * @param ingress whether it receives external traffic (default false)
     */
    public record ComponentSpec(
            @Nullable String name,
            @Nullable Integer cpuMillis,
            @Nullable Integer memoryMiB,
            @Nullable Integer minReplicas,
            @Nullable Integer maxReplicas,
            @Nullable Boolean ingress) {
    }

    /** A call the application expects from {@code caller} to {@code callee}, with optional expected load. */
    public record EdgeSpec(
            @Nullable String caller,
            @Nullable String callee,
            @Nullable Double callsPerSecond,
            @Nullable Double bytesPerCall) {
    }

    /**
     * Placement constraints.
     *
     * @param colocate sets of components that must share a process (each set at least two)
     * @param separate pairs of components that must never share a process
     * @param pins components that may only run on agents carrying a label
     */
    public record ConstraintsSpec(
            @Nullable List<List<String>> colocate,
            @Nullable List<List<String>> separate,
            @Nullable List<PinSpec> pins) {
    }

    /** {@code label} is {@code key} (any value) or {@code key=value}. */
    public record PinSpec(@Nullable String component, @Nullable String label) {
    }
}
