package dev.weft.rollout.policy;

import java.util.List;

/** A validated policy, or every problem found in it (never both, never silent). */
public sealed interface PolicyValidation {

    record Valid(Policy policy) implements PolicyValidation {}

    record Invalid(List<PolicyProblem> problems) implements PolicyValidation {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid policy needs at least one problem");
            }
        }
    }
}
