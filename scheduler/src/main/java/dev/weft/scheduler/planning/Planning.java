package dev.weft.scheduler.planning;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How other features (deployments, later rollouts) ask for a version to be placed or released and read where it
 * stands. {@link #place} and {@link #release} join the caller's transaction; the planner acts once it commits.
 * Decisions are announced with {@link PlanDecided} events.
 */
public interface Planning {

    /** Keep the version placed: it is planned now and re-planned as load and agents change. */
    void place(long versionId, long applicationId);

    /** Release the version: its next plan runs nothing, and it is planned no more once that plan is applied. */
    void release(long versionId);

    /** Stop tracking a released version. */
    void forget(long versionId);

    /** Where the version's placement stands; empty when it was never placed. */
    Optional<Placement> placement(long versionId);

    /**
     * A version's placement: its active plan's replicas and what could not be placed, and the latest plan computed.
     *
     * @param appliedGeneration the active plan's generation (null: none applied yet)
     * @param status the active plan's status: FEASIBLE, PARTIAL, RELEASE (null: none)
     * @param replicasWanted replicas the active plan wants
     * @param shortfall what the active plan could not place, or — when none is applied — why the latest plan does
     *                  not fit
     * @param latestGeneration the newest generation computed, applied or not
     * @param latestDecision its decision, e.g. KEPT_INFEASIBLE
     * @param latestReason the reason given with it
     * @param releasing the version is being released
     */
    record Placement(
            long versionId,
            @Nullable Long appliedGeneration,
            @Nullable String status,
            List<PlacedReplica> replicas,
            int replicasWanted,
            List<String> shortfall,
            @Nullable Long latestGeneration,
            @Nullable String latestDecision,
            String latestReason,
            boolean releasing) {
        public Placement {
            replicas = List.copyOf(replicas);
            shortfall = List.copyOf(shortfall);
        }

        /** Every replica the active plan wants is assigned to an agent (not yet: running). */
        public boolean complete() {
            return appliedGeneration != null && shortfall.isEmpty() && replicas.size() >= replicasWanted;
        }
    }

    /** One replica of the active plan, on one agent. */
    record PlacedReplica(String assignmentId, String agentId, List<String> components) {
        public PlacedReplica {
            requireNonNull(assignmentId, "assignmentId is null");
            requireNonNull(agentId, "agentId is null");
            components = List.copyOf(components);
        }
    }
}
