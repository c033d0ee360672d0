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
 * @param searchBudget    work units of the anytime search that improves the heuristic's grouping above
 *                        {@code exactLimit} nodes (one unit: one candidate move or merge priced, or one call edge
 *                        read); 0 turns it off. Counted in work, not time, so a plan never depends on the machine
 *                        or its load; see placement/README.md for what the default costs in time.
 */
public record PlannerOptions(
        long seed, int exactLimit, long exactNodeBudget, int restarts, double regroupMargin, long searchBudget) {
    /** The default budget of the anytime search: about 1 s of one core of the reference machine at 2,000 components. */
    public static final long DEFAULT_SEARCH_BUDGET = 50_000_000L;

    public static final PlannerOptions DEFAULTS =
            new PlannerOptions(42L, 16, 2_000_000L, -1, 0.01, DEFAULT_SEARCH_BUDGET);

    public PlannerOptions {
        if (exactLimit < 0 || exactNodeBudget < 0) {
            throw new IllegalArgumentException("exactLimit and exactNodeBudget must be >= 0");
        }
        if (!(regroupMargin >= 0 && regroupMargin < 1)) {
            throw new IllegalArgumentException("regroupMargin must be in [0, 1), was " + regroupMargin);
        }
        if (searchBudget < 0) {
            throw new IllegalArgumentException("searchBudget must be >= 0, was " + searchBudget);
        }
    }

    /** The options without an explicit search budget (the default one), as before the anytime search existed. */
    public PlannerOptions(long seed, int exactLimit, long exactNodeBudget, int restarts, double regroupMargin) {
        this(seed, exactLimit, exactNodeBudget, restarts, regroupMargin, DEFAULT_SEARCH_BUDGET);
    }

    public PlannerOptions withSeed(long newSeed) {
        return new PlannerOptions(newSeed, exactLimit, exactNodeBudget, restarts, regroupMargin, searchBudget);
    }

    public PlannerOptions withExactLimit(int limit) {
        return new PlannerOptions(seed, limit, exactNodeBudget, restarts, regroupMargin, searchBudget);
    }

    public PlannerOptions withRegroupMargin(double margin) {
        return new PlannerOptions(seed, exactLimit, exactNodeBudget, restarts, margin, searchBudget);
    }

    public PlannerOptions withSearchBudget(long budget) {
        return new PlannerOptions(seed, exactLimit, exactNodeBudget, restarts, regroupMargin, budget);
    }
}
