package dev.weft.scheduler.planning;

import static java.util.Objects.requireNonNull;

import dev.weft.placement.Baselines;
import dev.weft.placement.GroupExplanation;
import dev.weft.placement.Score;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One generation of a version's plan as stored: its groups and assignments, score, baselines, explanation, what could
 * not be placed, what it was computed from, the diff from the plan applied before it, and the decision taken.
 */
record PlanRecord(
        long versionId,
        long generation,
        Status status,
        boolean active,
        boolean applied,
        Decision decision,
        String decisionReason,
        List<Trigger> triggers,
        @Nullable PlanInputs inputs,
        List<Group> groups,
        @Nullable Score score,
        @Nullable Baselines baselines,
        List<GroupExplanation> explanations,
        @Nullable String solver,
        boolean provenOptimal,
        List<Unplaced> unplaced,
        @Nullable Long basedOnGeneration,
        PlanDiffView diff,
        Instant createdAt,
        @Nullable Instant appliedAt) {

    PlanRecord {
        requireNonNull(status, "status is null");
        requireNonNull(decision, "decision is null");
        triggers = List.copyOf(triggers);
        groups = List.copyOf(groups);
        explanations = List.copyOf(explanations);
        unplaced = List.copyOf(unplaced);
    }

    /** What a generation is. */
    enum Status {
        /** Every replica placed. */
        FEASIBLE,
        /** The running plan could not be kept whole and no full plan fits: what still runs is kept, the rest placed where it fits, the remainder listed in {@code unplaced}. */
        PARTIAL,
        /** No plan fits; the reasons are in {@code unplaced}. */
        INFEASIBLE,
        /** The version is released: it runs nothing. */
        RELEASE
    }

    /** What was done with a generation. */
    enum Decision {
        /** Applied: the version had no plan running. */
        APPLIED_FIRST,
        /** Applied: cheaper than the running plan by more than the hysteresis margin. */
        APPLIED_BETTER,
        /** Applied: the running plan was no longer valid (an agent gone, a constraint broken, capacity exceeded). */
        APPLIED_INVALID,
        /** Applied: the version is released. */
        APPLIED_RELEASE,
        /** Not applied: not cheaper than the running plan by the hysteresis margin. */
        KEPT_NOT_BETTER,
        /** Not applied: the same groups on the same agents as the running plan. */
        KEPT_IDENTICAL,
        /** Not applied: no plan fits, so the running plan (if any) stays. */
        KEPT_INFEASIBLE;

        boolean applied() {
            return switch (this) {
                case APPLIED_FIRST, APPLIED_BETTER, APPLIED_INVALID, APPLIED_RELEASE -> true;
                case KEPT_NOT_BETTER, KEPT_IDENTICAL, KEPT_INFEASIBLE -> false;
            };
        }
    }

    /**
     * One process image and its replicas.
     *
     * @param name the alphabetically first component
     * @param replicas how many replicas the plan wants (a PARTIAL plan may have placed fewer)
     * @param cpu cores of work of the group, with its share of remote-call overhead
     * @param cores requested cores of all its replicas
     * @param memoryGiB requested GiB of all its replicas
     */
    record Group(
            int index,
            String name,
            List<String> components,
            int replicas,
            double cpu,
            double cores,
            double memoryGiB,
            List<String> labels,
            List<Assignment> assignments) {
        Group {
            components = List.copyOf(components);
            labels = List.copyOf(labels);
            assignments = List.copyOf(assignments);
        }

        Set<String> componentSet() {
            return new TreeSet<>(components);
        }
    }

    /** One replica on one agent: its stable id and what it may use. */
    record Assignment(String assignmentId, String agentId, int replicaIndex, int cpuMillis, int memoryMiB) {}

    /** Something the plan could not place, with the planner's reason. */
    record Unplaced(String code, String subject, String message) {}

    int placedReplicas() {
        return groups.stream().mapToInt(g -> g.assignments().size()).sum();
    }

    int wantedReplicas() {
        return groups.stream().mapToInt(Group::replicas).sum();
    }
}
