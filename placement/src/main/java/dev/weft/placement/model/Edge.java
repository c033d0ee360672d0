package dev.weft.placement.model;

import static java.util.Objects.requireNonNull;

/**
 * Measured calls from one component to another. Direction only matters for reporting: the cost of
 * a remote call is split evenly between both sides.
 */
public record Edge(String caller, String callee, double callsPerSecond, double bytesPerSecond) {
    public Edge {
        requireNonNull(caller, "caller is null");
        requireNonNull(callee, "callee is null");
        Checks.nonNegative(callsPerSecond, "callsPerSecond of " + caller + "->" + callee);
        Checks.nonNegative(bytesPerSecond, "bytesPerSecond of " + caller + "->" + callee);
    }
}
