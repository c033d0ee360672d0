package dev.weft.placement;

/**
 * Knobs of the planner.
 *
 * @param seed            seed of the heuristic's random perturbations (same seed and input, same plan)
 * @param exactLimit      the exact solver is used up to this many groupable nodes (after must-colocate merging)
 * @param exactNodeBudget search nodes the exact solver may visit before it settles for its best so far
 * @param restarts        heuristic perturbation restarts; negative picks a default from the input size
 * @param regroupMargin   the previous plan's grouping is kept, while still allowed, unless the best grouping found
 *                        is cheaper by more than this fraction (0.01 = 1 %), so search noise never churns processes
 */
public record PlannerOptions(long seed, int exactLimit, long exactNodeBudget, int restarts, double regroupMargin) {
    public static final PlannerOptions DEFAULTS = new PlannerOptions(42L, 16, 2_000_000L, -1, 0.01);

    public PlannerOptions {
        if (exactLimit < 0 || exactNodeBudget < 0) {
            throw new IllegalArgumentException("exactLimit and exactNodeBudget must be >= 0");
        }
        if (!(regroupMargin >= 0 && regroupMargin < 1)) {
            throw new IllegalArgumentException("regroupMargin must be in [0, 1), was " + regroupMargin);
        }
    }

    public PlannerOptions withSeed(long newSeed) {
        return new PlannerOptions(newSeed, exactLimit, exactNodeBudget, restarts, regroupMargin);
    }

    public PlannerOptions withExactLimit(int limit) {
        return new PlannerOptions(seed, limit, exactNodeBudget, restarts, regroupMargin);
    }

    public PlannerOptions withRegroupMargin(double margin) {
        return new PlannerOptions(seed, exactLimit, exactNodeBudget, restarts, margin);
    }
}
