package dev.weft.placement;

import java.util.List;

/**
 * The cost of a fixed grouping to compare the plan against; {@code feasible} is false (with the violations)
 * when the constraints or the agents rule it out, in which case the cost is shown for information only.
 */
public record Baseline(double costPerHour, boolean feasible, List<String> violations) {
    public Baseline {
        violations = List.copyOf(violations);
    }
}
