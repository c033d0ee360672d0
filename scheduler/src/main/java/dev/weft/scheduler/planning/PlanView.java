package dev.weft.scheduler.planning;

import dev.weft.placement.Baselines;
import dev.weft.placement.GroupExplanation;
import dev.weft.placement.Score;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One plan generation as the REST API shows it.
 *
 * @param status FEASIBLE (every replica placed), PARTIAL (what could be placed; see unplaced), INFEASIBLE (no plan
 *               fits; see unplaced), RELEASE (the version runs nothing)
 * @param active whether this is the version's running plan
 * @param applied whether it was ever applied
 * @param decision what was done with it: APPLIED_FIRST, APPLIED_BETTER, APPLIED_INVALID, APPLIED_RELEASE,
 *                 KEPT_NOT_BETTER, KEPT_IDENTICAL, KEPT_INFEASIBLE
 * @param basedOnGeneration the generation that was active when it was computed; the diff is taken from it
 */
record PlanView(
        String application,
        String version,
        long generation,
        String status,
        boolean active,
        boolean applied,
        String decision,
        String decisionReason,
        List<Trigger> triggers,
        Instant createdAt,
        @Nullable Instant appliedAt,
        @Nullable Long basedOnGeneration,
        List<PlanRecord.Group> groups,
        @Nullable Score score,
        @Nullable Baselines baselines,
        List<GroupExplanation> explanations,
        @Nullable String solver,
        boolean provenOptimal,
        List<PlanRecord.Unplaced> unplaced,
        PlanDiffView diff,
        @Nullable PlanInputs inputs) {

    static PlanView of(String application, String version, PlanRecord p) {
        return new PlanView(
                application,
                version,
                p.generation(),
                p.status().name(),
                p.active(),
                p.applied(),
                p.decision().name(),
                p.decisionReason(),
                p.triggers(),
                p.createdAt(),
                p.appliedAt(),
                p.basedOnGeneration(),
                p.groups(),
                p.score(),
                p.baselines(),
                p.explanations(),
                p.solver(),
                p.provenOptimal(),
                p.unplaced(),
                p.diff(),
                p.inputs());
    }

    /** One generation in the history listing. */
    record Summary(
            long generation,
            String status,
            boolean active,
            boolean applied,
            String decision,
            String decisionReason,
            List<Trigger> triggers,
            @Nullable Double costPerHour,
            int moved,
            int added,
            int removed,
            Instant createdAt,
            @Nullable Instant appliedAt) {

        static Summary of(PlanRecord p) {
            return new Summary(
                    p.generation(),
                    p.status().name(),
                    p.active(),
                    p.applied(),
                    p.decision().name(),
                    p.decisionReason(),
                    p.triggers(),
                    p.score() == null ? null : p.score().costPerHour(),
                    p.diff().moved(),
                    p.diff().added(),
                    p.diff().removed(),
                    p.createdAt(),
                    p.appliedAt());
        }
    }

    /**
     * What changes from generation {@code from} to generation {@code to}, replica by replica, and the cost of each.
     *
     * @param costPerHourChange {@code to}'s cost less {@code from}'s (null when either has none)
     */
    record Diff(
            String application,
            String version,
            long from,
            long to,
            @Nullable Double fromCostPerHour,
            @Nullable Double toCostPerHour,
            @Nullable Double costPerHourChange,
            PlanDiffView diff,
            List<PlanRecord.Group> fromGroups,
            List<PlanRecord.Group> toGroups) {}
}
