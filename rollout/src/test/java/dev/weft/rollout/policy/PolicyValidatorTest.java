package dev.weft.rollout.policy;

import static dev.weft.rollout.policy.Drafts.max;
import static dev.weft.rollout.policy.Drafts.policy;
import static dev.weft.rollout.policy.Drafts.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.weft.rollout.gate.Gate;
import dev.weft.rollout.gate.Metric;
import dev.weft.rollout.policy.PolicyDraft.GateDraft;
import dev.weft.rollout.policy.PolicyDraft.StepDraft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

    private static Policy valid(PolicyDraft draft) {
        return switch (PolicyValidator.validate(draft)) {
            case PolicyValidation.Valid v -> v.policy();
            case PolicyValidation.Invalid i -> throw new AssertionError("expected a valid policy: " + i.problems());
        };
    }

    private static List<PolicyProblem> problems(PolicyDraft draft) {
        return switch (PolicyValidator.validate(draft)) {
            case PolicyValidation.Valid v -> throw new AssertionError("expected problems, got " + v.policy());
            case PolicyValidation.Invalid i -> i.problems();
        };
    }

    private static PolicyProblem only(PolicyDraft draft) {
        List<PolicyProblem> found = problems(draft);
        assertThat(found).hasSize(1);
        return found.getFirst();
    }

    @Test
    void theInlinePolicyOfTheIssueReads() {
        PolicyDraft draft = new PolicyDraft(
                List.of(step("10", "2m"), step("50", "5m"), step("100", null)),
                List.of(max("errorRate", 0.01), max("latencyP99Ratio", 1.2)),
                500L,
                "30m",
                null);
        Policy policy = valid(draft);
        assertThat(policy.steps())
                .extracting(Step::weightBasisPoints, Step::hold)
                .containsExactly(
                        tuple(1_000, Duration.ofMinutes(2)),
                        tuple(5_000, Duration.ofMinutes(5)),
                        tuple(10_000, Duration.ZERO));
        assertThat(policy.gates())
                .containsExactly(Gate.max(Metric.ERROR_RATE, 0.01), Gate.max(Metric.LATENCY_P99_RATIO, 1.2));
        assertThat(policy.minRequests()).isEqualTo(500);
        assertThat(policy.progressDeadline()).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.drainTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void absentOptionalFieldsTakeTheirDefaults() {
        Policy policy = valid(policy(List.of(step("12.5", "PT90S"), step("100", null))));
        assertThat(policy.step(0).weightBasisPoints()).isEqualTo(1_250);
        assertThat(policy.gates()).isEmpty();
        assertThat(policy.minRequests()).isEqualTo(100);
        assertThat(policy.progressDeadline()).isEqualTo(Duration.ofSeconds(90).plusMinutes(10));
        assertThat(policy.drainTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aWeightOutOfRangeNamesItsStep() {
        PolicyProblem problem = only(policy(List.of(step("10", "1m"), step("150", "1m"), step("100", null))));
        assertThat(problem.code()).isEqualTo(PolicyError.INVALID_WEIGHT);
        assertThat(problem.field()).isEqualTo("steps[1].weight");
        assertThat(problem.detail())
                .isEqualTo("steps[1].weight must be between 0 and 100 with at most two decimals, was 150");
        assertThat(only(policy(List.of(step("0.125", "1m"), step("100", null)))).detail())
                .isEqualTo("steps[0].weight must be between 0 and 100 with at most two decimals, was 0.125");
    }

    @Test
    void weightsNeverDecreaseAndOnlyTheLastStepIsAHundred() {
        assertThat(only(policy(List.of(step("50", "1m"), step("10", "1m"), step("100", null)))))
                .isEqualTo(new PolicyProblem(
                        PolicyError.INVALID_WEIGHT,
                        "steps[1].weight",
                        "steps[1].weight must not be below the previous step's (50): weights never decrease while"
                                + " ramping, was 10"));
        assertThat(only(policy(List.of(step("10", "1m"), step("50", null)))).detail())
                .isEqualTo("steps[1].weight must be 100: the last step promotes, was 50");
        assertThat(only(policy(List.of(step("100", "1m"), step("100", null)))).detail())
                .isEqualTo(
                        "steps[0].weight must be below 100: only the last step may be 100 (reaching 100 promotes), was 100");
        assertThat(valid(policy(List.of(step("10", "1m"), step("10", "2m"), step("100", null))))
                        .steps())
                .hasSize(3);
    }

    @Test
    void stepsAreRequiredAndBounded() {
        assertThat(only(policy(null)))
                .isEqualTo(new PolicyProblem(
                        PolicyError.MISSING_FIELD,
                        "steps",
                        "steps is required: 1 to 20 steps, the last at weight 100"));
        assertThat(only(policy(List.of())).detail())
                .isEqualTo("steps must list 1 to 20 steps, the last at weight 100, was 0");
        List<@Nullable StepDraft> many = new ArrayList<>(Collections.nCopies(20, step("1", "1m")));
        many.add(step("100", null));
        assertThat(only(policy(many)).code()).isEqualTo(PolicyError.INVALID_STEPS);
        assertThat(only(policy(Arrays.asList(null, step("100", null)))).detail())
                .isEqualTo("steps[0] must be a step object, was null");
    }

    @Test
    void everyStepButTheLastNeedsAHoldAndTheLastTakesNone() {
        assertThat(only(policy(List.of(step("10", null), step("100", null)))))
                .isEqualTo(new PolicyProblem(
                        PolicyError.MISSING_FIELD,
                        "steps[0].hold",
                        "steps[0].hold is required: the least time the step holds before it may pass, e.g. \"5m\""));
        assertThat(only(policy(List.of(step("10", "1m"), step("100", "5m")))))
                .extracting(PolicyProblem::code, PolicyProblem::field)
                .containsExactly(PolicyError.INVALID_STEPS, "steps[1].hold");
        assertThat(only(policy(List.of(step(null, "1m"), step("100", null)))).detail())
                .isEqualTo("steps[0].weight is required: percent of new requests, 0 to 100");
    }

    @Test
    void holdsAreDurationsOfWholeSecondsUpToADay() {
        assertThat(only(policy(List.of(step("10", "soon"), step("100", null)))))
                .isEqualTo(new PolicyProblem(
                        PolicyError.INVALID_DURATION,
                        "steps[0].hold",
                        "steps[0].hold must be a duration such as 30s, 5m, 1h or PT5M, was 'soon'"));
        assertThat(only(policy(List.of(step("10", "30h"), step("100", null)))).detail())
                .isEqualTo("steps[0].hold must be between 0s and 1d, was 1d6h");
        assertThat(only(policy(List.of(step("10", "1500ms"), step("100", null))))
                        .detail())
                .isEqualTo("steps[0].hold must be whole seconds, was 1500ms");
        assertThat(only(policy(List.of(step("10", "-PT5M"), step("100", null)))).field())
                .isEqualTo("steps[0].hold");
    }

    @Test
    void gatesAreCheckedFieldByField() {
        List<@Nullable StepDraft> steps = List.of(step("10", "1m"), step("100", null));
        assertThat(only(policy(steps, List.of(max("errRate", 0.01)))).detail())
                .isEqualTo("gates[0].metric must be one of errorRate, latencyP99Ratio, cpuCores, memoryMiB, inFlight,"
                        + " requestsPerSecond, errorsPerSecond, callsPerSecond, bytesPerSecond, latencyP50Ms,"
                        + " latencyP99Ms, was 'errRate'");
        assertThat(only(policy(steps, List.of(new GateDraft(null, null, null, 1.0)))))
                .extracting(PolicyProblem::code, PolicyProblem::field)
                .containsExactly(PolicyError.MISSING_FIELD, "gates[0].metric");
        assertThat(only(policy(steps, List.of(max("errorRate", 5)))).detail())
                .isEqualTo("gates[0].max of errorRate is a fraction of requests between 0 and 1 (0.01 = 1 %), was 5.0");
        assertThat(only(policy(steps, List.of(new GateDraft("errorRate", null, 0.0, 0.1))))
                        .detail())
                .isEqualTo("gates[0].min errorRate takes only max, was given min 0.0");
        assertThat(only(policy(steps, List.of(new GateDraft("latencyP99Ratio", null, null, null))))
                        .detail())
                .isEqualTo("gates[0].max is required for latencyP99Ratio");
        assertThat(only(policy(steps, List.of(new GateDraft("cpuCores", null, null, null))))
                        .detail())
                .isEqualTo("gates[0] needs a max or a min (or both) for cpuCores");
        assertThat(only(policy(steps, List.of(new GateDraft("cpuCores", null, 3.0, 2.0))))
                        .detail())
                .isEqualTo("gates[0].min must not be above max (2.0), was 3.0");
        assertThat(only(policy(steps, List.of(max("cpuCores", -1)))).detail())
                .isEqualTo("gates[0].max must be a finite number >= 0, was -1.0");
        assertThat(only(policy(steps, List.of(new GateDraft("cpuCores", "Cart", null, 2.0))))
                        .field())
                .isEqualTo("gates[0].component");
        assertThat(only(policy(steps, Arrays.asList((GateDraft) null))).detail())
                .isEqualTo("gates[0] must be a gate object, was null");
        List<@Nullable GateDraft> many = new ArrayList<>(Collections.nCopies(21, max("cpuCores", 1)));
        assertThat(only(policy(steps, many)).detail()).isEqualTo("gates may list at most 20 gates, was 21");
    }

    @Test
    void stepGatesNameTheirStepAndTheLastStepTakesNone() {
        PolicyDraft draft = policy(List.of(step("10", "1m", max("errorRate", 2)), step("100", null)));
        assertThat(only(draft).field()).isEqualTo("steps[0].gates[0].max");
        PolicyProblem last = only(policy(List.of(step("10", "1m"), step("100", null, max("errorRate", 0.01)))));
        assertThat(last.code()).isEqualTo(PolicyError.INVALID_GATE);
        assertThat(last.field()).isEqualTo("steps[1].gates");
        Policy gated = valid(policy(
                List.of(step("10", "1m", max("cpuCores", 2)), step("100", null)), List.of(max("errorRate", 0.01))));
        assertThat(gated.gatesAt(0)).containsExactly(Gate.max(Metric.ERROR_RATE, 0.01), Gate.max(Metric.CPU_CORES, 2));
    }

    @Test
    void limitsOfThePolicyAreNamed() {
        List<@Nullable StepDraft> steps = List.of(step("10", "10m"), step("100", null));
        assertThat(only(new PolicyDraft(steps, null, 0L, null, null)))
                .isEqualTo(new PolicyProblem(
                        PolicyError.INVALID_MIN_REQUESTS,
                        "minRequests",
                        "minRequests must be between 1 and 1000000000, was 0"));
        assertThat(only(new PolicyDraft(steps, null, null, "5m", null)).detail())
                .isEqualTo("progressDeadline must be longer than every hold (steps[0].hold is 10m), was 5m");
        assertThat(only(new PolicyDraft(List.of(step("100", null)), null, null, "30s", null))
                        .detail())
                .isEqualTo("progressDeadline must be between 1m and 7d, was 30s");
        assertThat(only(new PolicyDraft(steps, null, null, null, "2d")).detail())
                .isEqualTo("drainTimeout must be between 0s and 1d, was 2d");
        assertThat(only(new PolicyDraft(steps, null, null, "later", null)).field())
                .isEqualTo("progressDeadline");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        PolicyDraft draft = new PolicyDraft(
                List.of(step("150", "1m"), step("10", "forever"), step("90", null)),
                List.of(max("latency", 1)),
                -5L,
                null,
                null);
        assertThat(problems(draft))
                .extracting(PolicyProblem::field)
                .containsExactly(
                        "steps[0].weight", "steps[1].hold", "steps[2].weight", "gates[0].metric", "minRequests");
    }

    @Test
    void gatesMustBeAbleToReadBothVersions() {
        VersionShape v1 = new VersionShape("v1", java.util.Set.of("frontend", "cart"), java.util.Set.of("cart"));
        VersionShape v2 = new VersionShape("v2", java.util.Set.of("frontend", "cart", "search"), java.util.Set.of());
        PolicyDraft draft = policy(
                List.of(step("10", "1m", new GateDraft("cpuCores", "search", null, 2.0)), step("100", null)),
                List.of(max("latencyP99Ratio", 1.2), new GateDraft("errorRate", "cart", null, 0.01)));
        PolicyValidation checked = PolicyValidator.validate(draft, v1, v2);
        assertThat(checked).isInstanceOf(PolicyValidation.Invalid.class);
        assertThat(((PolicyValidation.Invalid) checked).problems())
                .extracting(PolicyProblem::code, PolicyProblem::field, PolicyProblem::detail)
                .containsExactly(
                        tuple(
                                PolicyError.INVALID_GATE,
                                "gates[0].metric",
                                "gates[0].metric latencyP99Ratio reads calls between components, and version v2"
                                        + " declares no call between its components: the gate could never gather data"),
                        tuple(
                                PolicyError.UNKNOWN_COMPONENT,
                                "steps[0].gates[0].component",
                                "steps[0].gates[0].component names component 'search', which version v1 does not"
                                        + " declare (a gate compares both versions)"));
        VersionShape v3 = new VersionShape("v3", java.util.Set.of("frontend", "cart"), java.util.Set.of("cart"));
        assertThat(PolicyValidator.validate(
                        policy(List.of(step("10", "1m"), step("100", null)), List.of(max("latencyP99Ratio", 1.2))),
                        v1,
                        v3))
                .isInstanceOf(PolicyValidation.Valid.class);
    }
}
