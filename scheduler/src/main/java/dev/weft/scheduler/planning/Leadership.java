package dev.weft.scheduler.planning;

import dev.weft.scheduler.cluster.Term;
import java.util.Optional;

/**
 * What the planner needs of leader election ({@code cluster}): only the leader plans and applies, and every apply is
 * fenced with the leader's term, so a leader that lost its lock (paused, partitioned) cannot apply anything.
 */
interface Leadership {

    /** This node's {@code weft.cluster.node-id}. */
    String nodeId();

    /** True while this node believes it leads (the fence in {@link Term#check()} is the authority). */
    boolean leading();

    /** This node's current term while it leads: its epoch is recorded with each plan, its check fences the apply. */
    Optional<Term> term();
}
