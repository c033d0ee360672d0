package dev.weft.scheduler.planning;

/**
 * The seam between the planner and leader election: only the leader plans and applies, and every apply is fenced
 * with the leader's epoch so a leader that lost its lock (paused, partitioned) cannot apply anything.
 */
interface Leadership {

    /** True while this node holds the leadership. */
    boolean leading();

    /** The epoch of this node's leadership, recorded with each plan it writes. */
    long epoch();

    /**
     * Inside the applying transaction: throws if this node is no longer the leader of {@code epoch}, so the
     * transaction rolls back and nothing is applied.
     */
    void fence(long epoch);
}
