package dev.weft.rollout;

/** Why a request was refused. Every one is a conflict with the rollout's state: 409 over REST. */
public enum RefusalCode {
    /** The application already has a rollout that has not finished (the scheduler's unique index says the same). */
    ROLLOUT_IN_PROGRESS,
    /** The application serves no version: its first version is deployed, not rolled out. */
    NO_SERVING_VERSION,
    /** The version asked for is the one already serving. */
    SAME_VERSION,
    /** The rollout is done or rolled back: nothing changes it any more. */
    ROLLOUT_FINISHED,
    /** The rollout is already going back to the old version. */
    ROLLOUT_ABORTING,
    ALREADY_PAUSED,
    /** Only a paused rollout can be resumed. */
    NOT_PAUSED,
    /** The new version is not placed in full yet, so it may not take traffic. */
    NOT_PLACED,
    /** The new version already takes all traffic (abort and pause no longer apply; rollback does). */
    ALREADY_PROMOTED,
    /** A rollback applies only after promotion; before it, abort. */
    NOT_PROMOTED,
    /** The rollback window has closed and the old version is being released. */
    ROLLBACK_WINDOW_CLOSED
}
