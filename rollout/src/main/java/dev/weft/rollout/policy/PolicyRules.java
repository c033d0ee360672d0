package dev.weft.rollout.policy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rules a policy keeps, shared by {@link Policy}'s constructor and {@link PolicyValidator} so both say the
 * same thing. Lists may hold nulls where the validator could not read a field; those are skipped.
 */
final class PolicyRules {

    private PolicyRules() {}

    static List<PolicyProblem> limits(int steps, int gates, long minRequests) {
        List<PolicyProblem> problems = new ArrayList<>();
        if (steps < 1 || steps > Policy.MAX_STEPS) {
            problems.add(new PolicyProblem(
                    PolicyError.INVALID_STEPS,
                    "steps",
                    "steps must list 1 to " + Policy.MAX_STEPS + " steps, the last at weight 100, was " + steps));
        }
        if (gates > Policy.MAX_GATES) {
            problems.add(tooManyGates("gates", gates));
        }
        if (minRequests < 1 || minRequests > Policy.MAX_MIN_REQUESTS) {
            problems.add(new PolicyProblem(
                    PolicyError.INVALID_MIN_REQUESTS,
                    "minRequests",
                    "minRequests must be between 1 and " + Policy.MAX_MIN_REQUESTS + ", was " + minRequests));
        }
        return problems;
    }

    static PolicyProblem tooManyGates(String field, int gates) {
        return new PolicyProblem(
                PolicyError.INVALID_GATE,
                field,
                field + " may list at most " + Policy.MAX_GATES + " gates, was " + gates);
    }

    static List<PolicyProblem> deadlineBounds(Duration deadline) {
        return bounds("progressDeadline", deadline, Policy.MIN_PROGRESS_DEADLINE, Policy.MAX_PROGRESS_DEADLINE);
    }

    static List<PolicyProblem> drainBounds(Duration timeout) {
        return bounds("drainTimeout", timeout, Duration.ZERO, Policy.MAX_DRAIN_TIMEOUT);
    }

    static List<PolicyProblem> bounds(String field, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            return List.of(new PolicyProblem(
                    PolicyError.INVALID_DURATION,
                    field,
                    field + " must be between " + Durations.format(min) + " and " + Durations.format(max) + ", was "
                            + Durations.describe(value)));
        }
        if (!value.truncatedTo(ChronoUnit.SECONDS).equals(value)) {
            return List.of(new PolicyProblem(
                    PolicyError.INVALID_DURATION,
                    field,
                    field + " must be whole seconds, was " + Durations.format(value)));
        }
        return List.of();
    }

    /** Rules across steps: weights never decrease, only the last is 100, it has no hold or gates, deadline beyond holds. */
    static List<PolicyProblem> acrossSteps(
            List<? extends @Nullable Integer> weights,
            List<? extends @Nullable Duration> holds,
            List<Boolean> gated,
            @Nullable Duration deadline) {
        List<PolicyProblem> problems = new ArrayList<>();
        int last = weights.size() - 1;
        Integer previous = null;
        for (int i = 0; i < weights.size(); i++) {
            Integer weight = weights.get(i);
            String field = "steps[" + i + "].weight";
            if (weight == null) {
                continue;
            }
            if (previous != null && weight < previous) {
                problems.add(weight(
                        field,
                        "must not be below the previous step's ("
                                + Percent.of(previous).toPlainString() + "): weights never decrease while ramping",
                        weight));
            } else if (i < last && weight == 10_000) {
                problems.add(weight(
                        field, "must be below 100: only the last step may be 100 (reaching 100 promotes)", weight));
            } else if (i == last && weight != 10_000) {
                problems.add(weight(field, "must be 100: the last step promotes", weight));
            }
            previous = weight;
        }
        Duration lastHold = holds.get(last);
        if (lastHold != null && !lastHold.isZero()) {
            problems.add(new PolicyProblem(
                    PolicyError.INVALID_STEPS,
                    "steps[" + last + "].hold",
                    "steps[" + last + "].hold: the last step (100) promotes at once and takes no hold (the rollback "
                            + "window follows it), was " + Durations.format(lastHold)));
        }
        if (gated.get(last)) {
            problems.add(
                    new PolicyProblem(
                            PolicyError.INVALID_GATE,
                            "steps[" + last + "].gates",
                            "steps[" + last
                                    + "].gates: the last step (100) promotes at once, and with no traffic left on the "
                                    + "old version there is nothing to compare with; put the gates on an earlier step or the policy"));
        }
        if (deadline != null) {
            problems.addAll(deadlineBeyondHolds(holds, deadline));
        }
        return problems;
    }

    /** The progress deadline must leave every step time to pass after its hold. */
    static List<PolicyProblem> deadlineBeyondHolds(List<? extends @Nullable Duration> holds, Duration deadline) {
        for (int i = 0; i < holds.size(); i++) {
            Duration hold = holds.get(i);
            if (hold != null && deadline.compareTo(hold) <= 0) {
                return List.of(new PolicyProblem(
                        PolicyError.INVALID_DURATION,
                        "progressDeadline",
                        "progressDeadline must be longer than every hold (steps[" + i + "].hold is "
                                + Durations.describe(hold) + "), was " + Durations.describe(deadline)));
            }
        }
        return List.of();
    }

    private static PolicyProblem weight(String field, String rule, int basisPoints) {
        return new PolicyProblem(
                PolicyError.INVALID_WEIGHT,
                field,
                field + " " + rule + ", was " + Percent.of(basisPoints).toPlainString());
    }
}
