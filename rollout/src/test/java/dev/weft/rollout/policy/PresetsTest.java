package dev.weft.rollout.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.weft.rollout.gate.Gate;
import dev.weft.rollout.gate.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PresetsTest {

    private static final Gate ERRORS = Gate.max(Metric.ERROR_RATE, 0.01);
    private static final Gate LATENCY = Gate.max(Metric.LATENCY_P99_RATIO, 1.25);
    private static final VersionShape CALLING_V1 = new VersionShape("v1", Set.of("frontend", "cart"), Set.of("cart"));
    private static final VersionShape CALLING_V2 = new VersionShape("v2", Set.of("frontend", "cart"), Set.of("cart"));
    private static final VersionShape LONE_V2 = new VersionShape("v2", Set.of("frontend"), Set.of());

    @Test
    void canaryRampsThroughOneTenAndFiftyPercentWithHealthGates() {
        Policy canary = Presets.named("canary").orElseThrow();
        assertThat(canary.steps())
                .extracting(Step::weightBasisPoints, Step::hold)
                .containsExactly(
                        tuple(100, Duration.ofMinutes(5)),
                        tuple(1_000, Duration.ofMinutes(5)),
                        tuple(5_000, Duration.ofMinutes(10)),
                        tuple(10_000, Duration.ZERO));
        assertThat(canary.gates()).containsExactly(ERRORS, LATENCY);
        assertThat(canary.minRequests()).isEqualTo(100);
        assertThat(canary.progressDeadline()).isEqualTo(Duration.ofMinutes(30));
        assertThat(canary.drainTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void blueGreenHoldsAtZeroWithGatesThenSwitchesAtOnce() {
        Policy blueGreen = Presets.named("blue-green").orElseThrow();
        assertThat(blueGreen.steps())
                .extracting(Step::weightBasisPoints, Step::hold, Step::gates)
                .containsExactly(
                        tuple(0, Duration.ofMinutes(5), List.of(ERRORS, LATENCY)),
                        tuple(10_000, Duration.ZERO, List.of()));
        assertThat(blueGreen.gates()).isEmpty();
    }

    @Test
    void immediateGoesStraightToAHundredPercent() {
        Policy immediate = Presets.named("immediate").orElseThrow();
        assertThat(immediate.steps()).containsExactly(Step.full());
        assertThat(immediate.gates()).isEmpty();
    }

    @Test
    void forVersionsWithoutCallsTheLatencyGateIsLeftOut() {
        PolicyValidation calling = Presets.resolve("canary", CALLING_V1, CALLING_V2);
        assertThat(calling)
                .isEqualTo(new PolicyValidation.Valid(Presets.named("canary").orElseThrow()));
        PolicyValidation lone = Presets.resolve("canary", CALLING_V1, LONE_V2);
        assertThat(((PolicyValidation.Valid) lone).policy().gates()).containsExactly(ERRORS);
        PolicyValidation blueGreen = Presets.resolve("blue-green", CALLING_V1, LONE_V2);
        assertThat(((PolicyValidation.Valid) blueGreen).policy().step(0).gates())
                .containsExactly(ERRORS);
    }

    @Test
    void anUnknownNameIsAProblemOnThePolicyField() {
        assertThat(Presets.named("canery")).isEmpty();
        assertThat(Presets.resolve("canery", CALLING_V1, CALLING_V2))
                .isEqualTo(new PolicyValidation.Invalid(List.of(new PolicyProblem(
                        PolicyError.UNKNOWN_POLICY,
                        "policy",
                        "policy must be an inline policy object or one of canary, blue-green, immediate, was"
                                + " 'canery'"))));
    }
}
