package dev.weft.placement;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What changes from the previous plan to this one.
 *
 * @param moved      replicas that leave one agent for another (within the matching group)
 * @param added      replicas started without one stopped in exchange
 * @param removed    replicas stopped without one started in exchange
 * @param unchanged  replicas that stay on their agent
 * @param regrouped  components whose process companions changed, sorted
 * @param moves      each moved replica: its group and the agents it leaves and goes to
 */
public record PlanDiff(
        int moved, int added, int removed, int unchanged, List<String> regrouped, List<ReplicaMove> moves) {
    public PlanDiff {
        regrouped = List.copyOf(regrouped);
        moves = List.copyOf(moves);
    }

    /** One replica of {@code group} that leaves agent {@code from} for agent {@code to}. */
    public record ReplicaMove(String group, String from, String to) {
        public ReplicaMove {
            requireNonNull(group, "group is null");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
        }
    }
}
