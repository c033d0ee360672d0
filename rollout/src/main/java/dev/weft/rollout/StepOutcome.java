package dev.weft.rollout;

/** How a step ended (the database's {@code rollout_steps.outcome}; {@code ABORTED} is new). */
public enum StepOutcome {
    /** Held for its hold with every gate passing (the last step: the rollout finished). */
    PASSED,
    /** A gate failed during it, or it did not pass within the progress deadline. */
    FAILED,
    /** An operator promoted past it. */
    SKIPPED,
    /** The rollout was aborted or rolled back during it for another reason (operator, violation, placement). */
    ABORTED
}
