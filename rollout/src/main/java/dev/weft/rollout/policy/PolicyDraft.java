package dev.weft.rollout.policy;

import dev.weft.rollout.gate.Gate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An inline policy as the REST API reads it, before validation: what the scheduler's JSON binding fills in
 * (unknown fields and wrong JSON types are the binding's to refuse). Any field may be absent; list elements
 * may be JSON {@code null}. {@link PolicyValidator} turns it into a {@link Policy} or names every problem.
 * {@link #of(Policy)} is the canonical form of a policy, the one to store and show.
 *
 * <pre>{"steps": [{"weight": 10, "hold": "2m"}, {"weight": 100}],
 *  "gates": [{"metric": "errorRate", "max": 0.01}], "minRequests": 500, "progressDeadline": "30m"}</pre>
 */
public record PolicyDraft(
        @Nullable List<@Nullable StepDraft> steps,
        @Nullable List<@Nullable GateDraft> gates,
        @Nullable Long minRequests,
        @Nullable String progressDeadline,
        @Nullable String drainTimeout) {

    public PolicyDraft {
        steps = copy(steps);
        gates = copy(gates);
    }

    /** One step: {@code weight} in percent of new requests (0..100, two decimals), {@code hold} a duration. */
    public record StepDraft(
            @Nullable BigDecimal weight,
            @Nullable String hold,
            @Nullable List<@Nullable GateDraft> gates) {
        public StepDraft {
            gates = copy(gates);
        }
    }

    /** One gate: a metric name, optionally one component, and a {@code max} and/or {@code min}. */
    public record GateDraft(
            @Nullable String metric,
            @Nullable String component,
            @Nullable Double min,
            @Nullable Double max) {}

    /** The canonical draft of a policy: every field present, weights in percent, durations in shortest form. */
    public static PolicyDraft of(Policy policy) {
        List<@Nullable StepDraft> steps = new ArrayList<>();
        for (Step step : policy.steps()) {
            steps.add(new StepDraft(
                    Percent.of(step.weightBasisPoints()), Durations.format(step.hold()), gates(step.gates())));
        }
        return new PolicyDraft(
                steps,
                gates(policy.gates()),
                policy.minRequests(),
                Durations.format(policy.progressDeadline()),
                Durations.format(policy.drainTimeout()));
    }

    private static List<@Nullable GateDraft> gates(List<Gate> gates) {
        List<@Nullable GateDraft> drafts = new ArrayList<>();
        for (Gate gate : gates) {
            drafts.add(new GateDraft(gate.metric().jsonName(), gate.component(), gate.min(), gate.max()));
        }
        return drafts;
    }

    private static <T> @Nullable List<@Nullable T> copy(@Nullable List<@Nullable T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
