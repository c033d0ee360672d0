package dev.weft.scheduler.agents;

/** Where an agent is in its life, as stored in {@code agents.state}. */
public enum AgentState {
    /** Its stream is open and its lease alive. */
    CONNECTED,
    /** Its stream ended but its lease has not run out: it may come back and keep its replicas. */
    DISCONNECTED,
    /** Its lease ran out (or it left): its replicas are re-placed. It may register again. */
    LOST,
    /** An operator revoked it: it may never connect again. */
    REVOKED,
    /** It was drained, runs nothing, and was let go. */
    RELEASED
}
