package dev.weft.placement.model;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * A process host that can run replicas. {@code cpuUsed}/{@code memUsed} are taken by things outside the
 * plan being computed (other versions, other apps); never include this version's own replicas.
 */
public record Agent(
        String id,
        String zone,
        Set<String> labels,
        double cpuCapacity,
        double memCapacity,
        double cpuUsed,
        double memUsed) {
    public Agent {
        requireNonNull(id, "id is null");
        requireNonNull(zone, "zone is null");
        labels = Set.copyOf(requireNonNull(labels, "labels is null"));
        Checks.nonNegative(cpuCapacity, "cpuCapacity of agent " + id);
        Checks.nonNegative(memCapacity, "memCapacity of agent " + id);
        Checks.nonNegative(cpuUsed, "cpuUsed of agent " + id);
        Checks.nonNegative(memUsed, "memUsed of agent " + id);
    }

    public double freeCpu() {
        return Math.max(0, cpuCapacity - cpuUsed);
    }

    public double freeMem() {
        return Math.max(0, memCapacity - memUsed);
    }
}
