package dev.weft.rollout.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.rollout.gate.Gate;
import dev.weft.rollout.gate.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PolicyTest {

    @Test
    void aPolicyBuiltInCodeKeepsTheSameRulesAsTheValidator() {
        assertThatThrownBy(() -> Policy.of(List.of(Step.of(5_000, Duration.ZERO)), List.of()))
                .hasMessage("steps[0].weight must be 100: the last step promotes, was 50");
        assertThatThrownBy(() -> Policy.of(List.of(), List.of())).hasMessageContaining("1 to 20 steps");
        assertThatThrownBy(() -> new Policy(List.of(Step.full()), List.of(), 0, Duration.ofMinutes(5), Duration.ZERO))
                .hasMessageContaining("minRequests must be between 1");
        assertThatThrownBy(() -> Step.of(100, Duration.ofMillis(10))).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> Gate.max(Metric.ERROR_RATE, 1.5)).hasMessageContaining("fraction between 0 and 1");
        assertThatThrownBy(() -> new Gate(Metric.ERROR_RATE, null, 0.1, 0.2)).hasMessageContaining("takes only max");
        assertThatThrownBy(() -> new Gate(Metric.CPU_CORES, null, null, null)).hasMessageContaining("a max or a min");
    }

    @Test
    void eachStepChecksThePolicysGatesThenItsOwn() {
        Gate cpu = Gate.max(Metric.CPU_CORES, 4);
        Gate errors = Gate.max(Metric.ERROR_RATE, 0.02);
        Policy policy =
                Policy.of(List.of(new Step(1_000, Duration.ofMinutes(1), List.of(cpu)), Step.full()), List.of(errors));
        assertThat(policy.gatesAt(0)).containsExactly(errors, cpu);
        assertThat(policy.gatesAt(1)).containsExactly(errors);
        assertThat(policy.lastStep()).isEqualTo(1);
    }

    @Property(tries = 200)
    void theCanonicalDraftOfAPolicyReadsBackToTheSamePolicy(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Policy policy = RandomPolicies.policy(new Random(seed), 600);
        PolicyValidation read = PolicyValidator.validate(PolicyDraft.of(policy));
        assertThat(read).isEqualTo(new PolicyValidation.Valid(policy));
    }

    @Test
    void everyPresetReadsBackFromItsCanonicalDraft() {
        for (String name : Presets.names()) {
            Policy preset = Presets.named(name).orElseThrow();
            assertThat(PolicyValidator.validate(PolicyDraft.of(preset))).isEqualTo(new PolicyValidation.Valid(preset));
        }
    }
}
