package dev.weft.placement;

import dev.weft.placement.model.Reason;
import java.util.List;

/** The planner's answer: a feasible plan, or the explained reasons why none exists. Never silent. */
public sealed interface PlanResult {
    record Feasible(Plan plan) implements PlanResult {}

    record Infeasible(List<Reason> reasons, Baselines baselines) implements PlanResult {
        public Infeasible {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("an infeasible result needs at least one reason");
            }
        }
    }
}
