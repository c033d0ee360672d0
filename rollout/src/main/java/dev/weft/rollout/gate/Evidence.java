package dev.weft.rollout.gate;

/** What a gate counts against {@code minRequests} on each side before it may give a verdict. */
public enum Evidence {
    /** Requests served by the gate's components (all of the version's, or the one named). */
    REQUESTS,
    /** Requests served by the whole version: resource figures mean something only under traffic. */
    VERSION_REQUESTS,
    /** Calls on the gate's edges (all of the version's, or those into the component named). */
    CALLS
}
