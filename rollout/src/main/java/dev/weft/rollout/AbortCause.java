package dev.weft.rollout;

/** Why a rollout went back to the old version. */
public enum AbortCause {
    /** An operator aborted it before promotion. */
    OPERATOR_ABORT,
    /** An operator rolled it back within the rollback window. */
    OPERATOR_ROLLBACK,
    /** A gate failed: the new version was measurably worse than allowed. */
    GATE_FAILED,
    /** The new version could not be placed (not merely short of capacity). */
    PLACEMENT_FAILED,
    /** Placing, or one step, took longer than the progress deadline (active time). */
    PROGRESS_DEADLINE,
    /** A call crossed versions: the isolation every rollout promises was broken. */
    VERSION_VIOLATION;

    /** The step outcome this cause gives the step it interrupts. */
    StepOutcome stepOutcome() {
        return switch (this) {
            case GATE_FAILED, PROGRESS_DEADLINE -> StepOutcome.FAILED;
            case OPERATOR_ABORT, OPERATOR_ROLLBACK, PLACEMENT_FAILED, VERSION_VIOLATION -> StepOutcome.ABORTED;
        };
    }

    /** For messages: "aborted by alice", "a gate failed", ... */
    String describe(String actor) {
        return switch (this) {
            case OPERATOR_ABORT -> "aborted by " + actor;
            case OPERATOR_ROLLBACK -> "rolled back by " + actor;
            case GATE_FAILED -> "a gate failed";
            case PLACEMENT_FAILED -> "placement failed";
            case PROGRESS_DEADLINE -> "the progress deadline passed";
            case VERSION_VIOLATION -> "a version violation";
        };
    }
}
