package dev.weft.rollout.policy;

import dev.weft.rollout.gate.Gate;
import dev.weft.rollout.policy.PolicyDraft.StepDraft;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Validates an inline policy and reports every problem at once, each naming its field by JSON path, e.g.
 * {@code steps[1].weight must be between 0 and 100 with at most two decimals, was 150}. Absent optional fields
 * take their defaults: no gates, {@code minRequests} 100, {@code progressDeadline} the longest hold plus 10
 * minutes, {@code drainTimeout} 5 minutes. Every step but the last needs a {@code hold}.
 */
public final class PolicyValidator {

    private PolicyValidator() {}

    /** The policy's own rules: what can be said without knowing the versions. */
    public static PolicyValidation validate(PolicyDraft draft) {
        List<PolicyProblem> problems = new ArrayList<>();
        List<Step> steps = steps(draft.steps(), problems);
        List<Gate> gates = GateValidator.read(draft.gates(), "gates", problems);
        long minRequests = draft.minRequests() == null ? Policy.DEFAULT_MIN_REQUESTS : draft.minRequests();
        problems.addAll(PolicyRules.limits(Math.max(1, steps.size()), 0, minRequests));
        Duration deadline = duration("progressDeadline", draft.progressDeadline(), problems);
        if (deadline != null) {
            problems.addAll(PolicyRules.deadlineBounds(deadline));
            problems.addAll(PolicyRules.deadlineBeyondHolds(
                    steps.stream().map(Step::hold).toList(), deadline));
        }
        Duration drain = duration("drainTimeout", draft.drainTimeout(), problems);
        if (drain != null) {
            problems.addAll(PolicyRules.drainBounds(drain));
        }
        if (!problems.isEmpty()) {
            return new PolicyValidation.Invalid(problems);
        }
        return new PolicyValidation.Valid(new Policy(
                steps,
                gates,
                minRequests,
                deadline == null ? Policy.defaultDeadline(steps) : deadline,
                drain == null ? Policy.DEFAULT_DRAIN_TIMEOUT : drain));
    }

    /**
     * The policy's own rules, then what the two versions decide: every gate's component is a component of
     * both, and a gate that reads call edges has declared calls to read on both.
     */
    public static PolicyValidation validate(PolicyDraft draft, VersionShape from, VersionShape to) {
        PolicyValidation own = validate(draft);
        return switch (own) {
            case PolicyValidation.Invalid invalid -> invalid;
            case PolicyValidation.Valid valid -> checkAgainst(valid.policy(), from, to);
        };
    }

    /** Checks a policy (a preset or one read before) against the versions it rolls between. */
    public static PolicyValidation checkAgainst(Policy policy, VersionShape from, VersionShape to) {
        List<PolicyProblem> problems = VersionCheck.problems(policy, from, to);
        return problems.isEmpty() ? new PolicyValidation.Valid(policy) : new PolicyValidation.Invalid(problems);
    }

    private static List<Step> steps(@Nullable List<@Nullable StepDraft> drafts, List<PolicyProblem> problems) {
        if (drafts == null) {
            problems.add(new PolicyProblem(
                    PolicyError.MISSING_FIELD, "steps", "steps is required: 1 to 20 steps, the last at weight 100"));
            return List.of();
        }
        if (drafts.isEmpty() || drafts.size() > Policy.MAX_STEPS) {
            problems.add(new PolicyProblem(
                    PolicyError.INVALID_STEPS,
                    "steps",
                    "steps must list 1 to " + Policy.MAX_STEPS + " steps, the last at weight 100, was "
                            + drafts.size()));
            return List.of();
        }
        int before = problems.size();
        int last = drafts.size() - 1;
        List<@Nullable Integer> weights = new ArrayList<>();
        List<@Nullable Duration> holds = new ArrayList<>();
        List<Boolean> gated = new ArrayList<>();
        List<List<Gate>> gates = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            String path = "steps[" + i + "]";
            StepDraft draft = drafts.get(i);
            if (draft == null) {
                problems.add(
                        new PolicyProblem(PolicyError.INVALID_STEPS, path, path + " must be a step object, was null"));
                weights.add(null);
                holds.add(null);
                gated.add(false);
                gates.add(List.of());
                continue;
            }
            weights.add(weight(path + ".weight", draft.weight(), problems));
            holds.add(hold(path + ".hold", draft.hold(), i == last, problems));
            List<PolicyDraft.@Nullable GateDraft> stepGates = draft.gates();
            gated.add(stepGates != null && !stepGates.isEmpty());
            gates.add(GateValidator.read(stepGates, path + ".gates", problems));
        }
        problems.addAll(PolicyRules.acrossSteps(weights, holds, gated, null));
        if (problems.size() > before) {
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Integer weight = weights.get(i);
            Duration hold = holds.get(i);
            if (weight == null || hold == null) {
                throw new IllegalStateException("a step without problems has a weight and a hold");
            }
            steps.add(new Step(weight, hold, gates.get(i)));
        }
        return steps;
    }

    private static @Nullable Integer weight(String field, @Nullable BigDecimal percent, List<PolicyProblem> problems) {
        if (percent == null) {
            problems.add(new PolicyProblem(
                    PolicyError.MISSING_FIELD, field, field + " is required: percent of new requests, 0 to 100"));
            return null;
        }
        try {
            return Percent.toBasisPoints(percent);
        } catch (IllegalArgumentException e) {
            problems.add(new PolicyProblem(PolicyError.INVALID_WEIGHT, field, field + " " + e.getMessage()));
            return null;
        }
    }

    private static @Nullable Duration hold(
            String field, @Nullable String text, boolean last, List<PolicyProblem> problems) {
        if (text == null) {
            if (last) {
                return Duration.ZERO;
            }
            problems.add(new PolicyProblem(
                    PolicyError.MISSING_FIELD,
                    field,
                    field + " is required: the least time the step holds before it may pass, e.g. \"5m\""));
            return null;
        }
        Duration hold = duration(field, text, problems);
        if (hold == null) {
            return null;
        }
        List<PolicyProblem> bounds = PolicyRules.bounds(field, hold, Duration.ZERO, Policy.MAX_HOLD);
        problems.addAll(bounds);
        return bounds.isEmpty() ? hold : null;
    }

    private static @Nullable Duration duration(String field, @Nullable String text, List<PolicyProblem> problems) {
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(new PolicyProblem(PolicyError.INVALID_DURATION, field, field + " " + e.getMessage()));
            return null;
        }
    }
}
