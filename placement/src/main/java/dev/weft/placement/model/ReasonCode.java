package dev.weft.placement.model;

/** Why a problem (or part of it) cannot be planned; one code per kind of cause. */
public enum ReasonCode {
    /** A pin names a label (or a combination of labels) that no agent carries. */
    NO_AGENT_WITH_LABEL,
    /** A group needs more replicas on distinct agents than there are eligible agents. */
    TOO_FEW_AGENTS,
    /** Agents exist but lack free cpu or memory for a replica (per zone in the message). */
    INSUFFICIENT_CAPACITY,
    /** One replica of a must-share set (or a component) is larger than the largest agent. */
    EXCEEDS_LARGEST_AGENT,
    /** The largest min-replicas of a must-share set is above its smallest max-replicas. */
    REPLICA_BOUNDS_CROSS,
    /** Constraints that cannot all hold, e.g. a must-separate pair inside a must-colocate set. */
    CONTRADICTORY_CONSTRAINTS,
    /** No grouping satisfies every limit at once (each group alone may be fine). */
    NO_FEASIBLE_GROUPING
}
