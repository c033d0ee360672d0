package dev.weft.placement;

/**
 * Knobs of the planner.
 *
 * @param seed            seed of the heuristic's random perturbations (same seed and input, same plan)
 * @param exactLimit      the exact solver is used up to this many groupable nodes (after must-colocate merging)
 * @param exactNodeBudget search nodes the exact solver may visit before it settles for its best so far
 * @param restarts        heuristic perturbation restarts; negative picks a default from the input size
 */
public record PlannerOptions(long seed, int exactLimit, long exactNodeBudget, int restarts) {
  public static final PlannerOptions DEFAULTS = new PlannerOptions(42L, 12, 20_000_000L, -1);

  public PlannerOptions {
    if (exactLimit < 0 || exactNodeBudget < 0) {
      throw new IllegalArgumentException("exactLimit and exactNodeBudget must be >= 0");
    }
  }

  public PlannerOptions withSeed(long newSeed) {
    return new PlannerOptions(newSeed, exactLimit, exactNodeBudget, restarts);
  }

  public PlannerOptions withExactLimit(int limit) {
    return new PlannerOptions(seed, limit, exactNodeBudget, restarts);
  }
}
