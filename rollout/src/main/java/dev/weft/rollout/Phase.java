package dev.weft.rollout;

/**
 * Where a rollout is: {@code PENDING → PLACING → RAMPING (step i) → PROMOTED → DONE}, with {@code PAUSED}
 * beside placing and ramping, and {@code ABORTING → ROLLED_BACK} from anywhere before {@code DONE}. The names
 * are those the database's {@code rollouts.state} allows.
 */
public enum Phase {
    /** Created; the driver has not asked for the new version to be placed yet. */
    PENDING,
    /** The new version is being placed in full beside the old one; it gets no traffic until it is. */
    PLACING,
    /** Step i: the new version takes the step's weight, for at least its hold and until its gates pass. */
    RAMPING,
    /** An operator paused placing or ramping: no progress, but gates, violations and failures still roll back. */
    PAUSED,
    /** The new version takes 100 %; the old one stays placed at 0 % for the rollback window, then drains. */
    PROMOTED,
    /** The old version was drained and released. Final. */
    DONE,
    /** Traffic went back to the old version; the new one is draining before it is released. */
    ABORTING,
    /** The new version was released; the old one serves everything. Final. */
    ROLLED_BACK;

    /** True for {@link #DONE} and {@link #ROLLED_BACK}: nothing changes a finished rollout. */
    public boolean isFinished() {
        return this == DONE || this == ROLLED_BACK;
    }
}
