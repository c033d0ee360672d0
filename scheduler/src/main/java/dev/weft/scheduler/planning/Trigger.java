package dev.weft.scheduler.planning;

import static java.util.Objects.requireNonNull;

/** Why a version is planned again, as recorded with the plan. */
record Trigger(Kind kind, String detail) {

    Trigger {
        requireNonNull(kind, "kind is null");
        requireNonNull(detail, "detail is null");
    }

    /** What happened. {@link #urgent()} kinds are planned after the short debounce. */
    enum Kind {
        /** An operator deployed the version (or a rollout placed it). */
        DEPLOYED,
        /** The version is being released: its next plan runs nothing. */
        RELEASED,
        /** An operator asked for a re-plan. */
        OPERATOR,
        /** Measured load moved past the drift threshold over the whole window. */
        LOAD_CHANGED,
        /** An agent registered, came back after it was lost, or was uncordoned. */
        AGENT_JOINED,
        /** An agent hosting the version was lost, left or was revoked. */
        AGENT_LOST,
        /** An agent hosting the version was cordoned. */
        AGENT_CORDONED,
        /** An agent hosting the version is being drained. */
        AGENT_DRAINING,
        /** An agent was released. */
        AGENT_RELEASED,
        /** Replicas failed to start on an agent too often. */
        START_FAILURES,
        /** The periodic check found the running plan invalid (or not all of it placed). */
        PLAN_INVALID,
        /** This node became leader: it plans what its predecessor may have left undone. */
        LEADER_CHANGED;

        boolean urgent() {
            return switch (this) {
                case DEPLOYED,
                        RELEASED,
                        OPERATOR,
                        AGENT_LOST,
                        AGENT_DRAINING,
                        START_FAILURES,
                        PLAN_INVALID,
                        LEADER_CHANGED -> true;
                case LOAD_CHANGED, AGENT_JOINED, AGENT_CORDONED, AGENT_RELEASED -> false;
            };
        }
    }
}
