package dev.weft.scheduler.planning;

/**
 * A plan of a version was computed and decided, applied or not; published in the transaction that stored it.
 *
 * @param status FEASIBLE, PARTIAL, INFEASIBLE or RELEASE
 * @param decision e.g. APPLIED_BETTER or KEPT_INFEASIBLE
 * @param reason why, in words
 * @param complete the version's active plan (this one, if applied) places every replica it wants
 */
public record PlanDecided(
        long versionId,
        String application,
        String version,
        long generation,
        String status,
        String decision,
        boolean applied,
        String reason,
        boolean complete) {}
