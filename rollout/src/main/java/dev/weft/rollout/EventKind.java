package dev.weft.rollout;

/** The kinds of rollout events, as stored in the audit log's {@code events.kind}. */
public enum EventKind {
    ROLLOUT_STARTED,
    ROLLOUT_PLACING,
    /** Placing waits for capacity (a new event whenever the reason changes). */
    ROLLOUT_WAITING,
    ROLLOUT_STEP_STARTED,
    ROLLOUT_STEP_PASSED,
    ROLLOUT_PAUSED,
    ROLLOUT_RESUMED,
    ROLLOUT_PROMOTED,
    /** Traffic went back to the old version; the message says why (gate, violation, deadline, operator...). */
    ROLLOUT_ABORTED,
    ROLLOUT_DRAINING,
    ROLLOUT_DRAIN_TIMED_OUT,
    ROLLOUT_DONE,
    ROLLOUT_ROLLED_BACK
}
