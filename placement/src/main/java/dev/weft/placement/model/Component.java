package dev.weft.placement.model;

import static java.util.Objects.requireNonNull;

/**
 * One logical component of a version with its measured load.
 *
 * @param name        unique name within the version
 * @param cpu         cores of useful work at current load (excluding remote-call overhead)
 * @param mem         GiB that each replica of a process hosting this component needs for it
 * @param minReplicas lower bound on the replicas of the group that hosts it (at least 1)
 * @param maxReplicas upper bound on the replicas of the group that hosts it
 */
public record Component(String name, double cpu, double mem, int minReplicas, int maxReplicas) {
    public Component {
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("component name is blank");
        }
        Checks.nonNegative(cpu, "cpu of " + name);
        Checks.nonNegative(mem, "mem of " + name);
        if (minReplicas < 1) {
            throw new IllegalArgumentException("minReplicas of " + name + " must be >= 1, was " + minReplicas);
        }
        // min > max is not rejected here: the planner reports it as an explained infeasibility.
        if (maxReplicas < 1) {
            throw new IllegalArgumentException("maxReplicas of " + name + " must be >= 1, was " + maxReplicas);
        }
    }

    /** A component with replica bounds 1..{@link Integer#MAX_VALUE}. */
    public static Component of(String name, double cpu, double mem) {
        return new Component(name, cpu, mem, 1, Integer.MAX_VALUE);
    }
}
