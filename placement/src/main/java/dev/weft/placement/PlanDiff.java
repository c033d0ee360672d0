package dev.weft.placement;

import java.util.List;

/**
 * What changes from the previous plan to this one.
 *
 * @param moved      replicas that leave one agent for another (within the matching group)
 * @param added      replicas started without one stopped in exchange
 * @param removed    replicas stopped without one started in exchange
 * @param unchanged  replicas that stay on their agent
 * @param regrouped  components whose process companions changed, sorted
 */
public record PlanDiff(int moved, int added, int removed, int unchanged, List<String> regrouped) {
  public static final PlanDiff NONE = new PlanDiff(0, 0, 0, 0, List.of());

  public PlanDiff {
    regrouped = List.copyOf(regrouped);
  }
}
