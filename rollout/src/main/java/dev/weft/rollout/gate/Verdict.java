package dev.weft.rollout.gate;

/** What one reading of a gate says. */
public enum Verdict {
    /** Enough data on both sides, and the new version is within the bounds. */
    PASS,
    /** Enough data on both sides, and the new version is outside the bounds: the rollout rolls back. */
    FAIL,
    /** Too little data on one side ({@code minRequests} not reached): the step holds, it never passes. */
    INSUFFICIENT_DATA,
    /**
     * At a 0 % step, the new version served too little traffic (no user traffic reaches it there) to judge:
     * the gate neither holds nor passes the step, which is then time-only.
     */
    NOT_EVALUATED
}
