package dev.weft.rollout.policy;

/**
 * What can be wrong with a rollout policy. Each maps to a 400 problem over REST (the scheduler's error-code
 * enum carries the same names; {@code MISSING_FIELD} is the common one).
 */
public enum PolicyError {
    /** A required field is absent. */
    MISSING_FIELD,
    /** No steps, too many, a step that is not an object, or a hold on the last step. */
    INVALID_STEPS,
    /** A weight out of 0..100, with more than two decimals, below the step before it, or a wrong last weight. */
    INVALID_WEIGHT,
    /** A hold, deadline or timeout that is not a duration, out of bounds, or not whole seconds. */
    INVALID_DURATION,
    /** A gate with an unknown metric, a bad bound, a bad component name, or one that could never gather data. */
    INVALID_GATE,
    /** {@code minRequests} out of bounds. */
    INVALID_MIN_REQUESTS,
    /** A gate names a component one of the two versions does not declare. */
    UNKNOWN_COMPONENT,
    /** A named policy that does not exist. */
    UNKNOWN_POLICY
}
