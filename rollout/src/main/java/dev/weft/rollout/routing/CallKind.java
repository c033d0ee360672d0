package dev.weft.rollout.routing;

/** How the control plane classifies a reported call (a load edge, or a call an agent refused). */
public enum CallKind {
    /** Caller and callee run the same version: the only kind there should ever be. */
    SAME_VERSION,
    /** Caller and callee run different versions: a violation, counted and rolled back on. */
    VIOLATION
}
