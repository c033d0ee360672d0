package dev.weft.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.policy.Policy;
import dev.weft.rollout.policy.Presets;
import dev.weft.rollout.routing.Weights;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StartTest {

    private final MutableClock clock = new MutableClock(Driver.T0.plusNanos(123_456_789));
    private final Rollouts rollouts = new Rollouts(RolloutSettings.DEFAULTS, clock);
    private final Policy canary = Presets.named("canary").orElseThrow();

    @Test
    void aStartedRolloutIsPendingWithEveryStepPlannedAndNoTrafficMoved() {
        Transition started = (Transition) rollouts.start("shop", "v1", "v2", canary, null, "alice");
        RolloutState s = started.state();
        assertThat(s.phase()).isEqualTo(Phase.PENDING);
        assertThat(s.weights()).isEqualTo(Weights.split("v2", "v1", 0));
        assertThat(s.createdAt())
                .as("instants are kept to the millisecond, as stored")
                .isEqualTo(Driver.T0.plusMillis(123));
        assertThat(s.rollbackWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.steps()).extracting(StepRecord::weightBasisPoints).containsExactly(100, 1_000, 5_000, 10_000);
        assertThat(s.steps()).allSatisfy(r -> assertThat(r.startedAt()).isNull());
        assertThat(started.actions()).isEmpty();
        assertThat(started.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.ROLLOUT_STARTED);
            assertThat(e.actor()).isEqualTo("alice");
            assertThat(e.message())
                    .isEqualTo("alice started a rollout of shop from v1 to v2: 1 % -> 10 % -> 50 % -> 100 %");
        });
    }

    @Test
    void aSecondRolloutOfOneApplicationIsRefusedUntilTheFirstFinishes() {
        RolloutState first = ((Transition) rollouts.start("shop", "v1", "v2", canary, null, "alice")).state();
        Decision second = rollouts.start("shop", "v1", "v3", canary, first, "bob");
        assertThat(second)
                .isEqualTo(new Refusal(
                        RefusalCode.ROLLOUT_IN_PROGRESS,
                        "shop already has a rollout in progress, from v1 to v2 (PENDING); wait for it to finish or abort"
                                + " it first."));
        RolloutState aborted = ((Transition) rollouts.request(first, canary, OperatorAction.ABORT, "alice")).state();
        assertThat(aborted.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(rollouts.start("shop", "v1", "v3", canary, aborted, "bob")).isInstanceOf(Transition.class);
    }

    @Test
    void aFirstVersionIsDeployedAndTheServingVersionIsNotRolledOutAgain() {
        assertThat(((Refusal) rollouts.start("shop", null, "v1", canary, null, "alice")).code())
                .isEqualTo(RefusalCode.NO_SERVING_VERSION);
        assertThat(rollouts.start("shop", "v1", "v1", canary, null, "alice"))
                .isEqualTo(
                        new Refusal(RefusalCode.SAME_VERSION, "v1 already serves shop; there is nothing to roll out."));
    }
}
