package dev.weft.placement;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A feasible colocation plan with everything a user needs to judge it.
 *
 * @param groups       the groups and the agent of every replica
 * @param score        cost and resources
 * @param baselines    the two extremes for comparison
 * @param diff         what changes from the previous plan
 * @param explanations per group, why it is grouped so
 * @param solver       "exact" (proven optimal), "heuristic+exact-partial" (the exact search ran out of budget: the
 *                     best of the heuristic's grouping and what the search reached, not proven), "heuristic",
 *                     "previous" (the running grouping, kept within the regroup margin), or the baseline used as
 *                     fallback
 * @param provenOptimal true when the exact search completed, so no grouping is cheaper
 */
public record Plan(
        List<PlannedGroup> groups,
        Score score,
        Baselines baselines,
        PlanDiff diff,
        List<GroupExplanation> explanations,
        String solver,
        boolean provenOptimal) {
    public Plan {
        groups = List.copyOf(groups);
        requireNonNull(score, "score is null");
        requireNonNull(baselines, "baselines is null");
        requireNonNull(diff, "diff is null");
        explanations = List.copyOf(explanations);
        requireNonNull(solver, "solver is null");
    }
}
