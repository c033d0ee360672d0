package dev.weft.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.policy.Presets;
import dev.weft.rollout.routing.Weights;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacingTest {

    private final Driver d = new Driver(Presets.named("canary").orElseThrow());

    private static Observation placing(String detail) {
        return Observation.of(new PlacementStatus.Placing(detail));
    }

    private static Observation shortOf(String reason) {
        return Observation.of(new PlacementStatus.ShortOfCapacity(reason));
    }

    @Test
    void theFirstMoveAsksForTheNewVersionToBePlacedBesideTheOld() {
        Transition t = d.tick(Duration.ofSeconds(1), placing("0 of 12 replicas running"));
        assertThat(t.state().phase()).isEqualTo(Phase.PLACING);
        assertThat(t.actions()).containsExactly(new Action.Place("v2"));
        assertThat(t.push()).isEmpty();
        assertThat(t.events()).extracting(RolloutEvent::kind).containsExactly(EventKind.ROLLOUT_PLACING);
        assertThat(t.state().waiting()).isEqualTo("placing v2 beside v1: 0 of 12 replicas running");
    }

    @Test
    void aPartialPlacementNeverGetsTraffic() {
        d.advance(placing("0 of 12 replicas running"));
        List<Transition> moves = d.run(Duration.ofMinutes(20), x -> placing("11 of 12 replicas running"));
        assertThat(moves).isEmpty();
        assertThat(d.state.phase()).isEqualTo(Phase.PLACING);
        assertThat(d.state.weights().of("v2")).isZero();
        assertThat(d.pushes()).isEmpty();
        assertThat(d.state.stageElapsed()).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void shortOfCapacityItWaitsAndSaysWhyOncePerReason() {
        d.advance(shortOf("group cart: replica 2 of 3 needs 0.5 cores"));
        Transition same = d.tick(Duration.ofSeconds(1), shortOf("group cart: replica 2 of 3 needs 0.5 cores"));
        Transition other = d.tick(Duration.ofSeconds(1), shortOf("group cart: replica 3 of 3 needs 0.5 cores"));
        assertThat(d.transitions.get(1).events())
                .extracting(RolloutEvent::kind)
                .containsExactly(EventKind.ROLLOUT_PLACING, EventKind.ROLLOUT_WAITING);
        assertThat(d.transitions.get(1).events().get(1).message())
                .isEqualTo(
                        "v2 is short of capacity: group cart: replica 2 of 3 needs 0.5 cores; it gets no traffic until"
                                + " it is placed in full");
        assertThat(same.events()).isEmpty();
        assertThat(other.events()).extracting(RolloutEvent::kind).containsExactly(EventKind.ROLLOUT_WAITING);
        assertThat(d.state.waiting()).isEqualTo("v2 is short of capacity: group cart: replica 3 of 3 needs 0.5 cores");
    }

    @Test
    void aCompletePlacementStartsTheFirstStepWithItsWeight() {
        d.advance(placing("3 of 12 replicas running"));
        Transition t = d.tick(Duration.ofSeconds(1), Driver.placed());
        assertThat(t.state().phase()).isEqualTo(Phase.RAMPING);
        assertThat(t.state().step()).isZero();
        assertThat(t.actions()).containsExactly(new Action.PushTraffic(Weights.split("v2", "v1", 100)));
        assertThat(t.state().steps().getFirst().startedAt()).isEqualTo(d.now());
        assertThat(t.events().getFirst().message())
                .isEqualTo(
                        "v2 is placed in full beside v1; step 1 of 4 (1 %): 1 % of new requests to v2 for at least 5m");
    }

    @Test
    void anAlreadyPlacedVersionGoesFromPendingToItsFirstStepInOneMove() {
        Transition t = d.tick(Duration.ofSeconds(1), Driver.placed());
        assertThat(t.state().phase()).isEqualTo(Phase.RAMPING);
        assertThat(t.actions())
                .containsExactly(new Action.Place("v2"), new Action.PushTraffic(Weights.split("v2", "v1", 100)));
    }

    @Test
    void aFailedPlacementIsReleasedAndRolledBackAtOnce() {
        d.advance(placing("2 of 12 replicas running"));
        Transition t = d.tick(
                Duration.ofSeconds(1), Observation.of(new PlacementStatus.Failed("cart failed to start 3 times")));
        assertThat(t.state().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(t.state().abortCause()).isEqualTo(AbortCause.PLACEMENT_FAILED);
        assertThat(t.actions()).containsExactly(new Action.PushTraffic(Weights.only("v1")), new Action.Release("v2"));
        assertThat(t.state().reason()).isEqualTo("placement failed: v2 cannot be placed: cart failed to start 3 times");
        assertThat(t.events())
                .extracting(RolloutEvent::kind)
                .containsExactly(EventKind.ROLLOUT_ABORTED, EventKind.ROLLOUT_ROLLED_BACK);
        assertThat(t.state().finishedAt()).isEqualTo(d.now());
    }

    @Test
    void placingLongerThanTheProgressDeadlineRollsBack() {
        d.advance(shortOf("no agent has label gpu"));
        d.run(Duration.ofMinutes(30), x -> shortOf("no agent has label gpu"));
        assertThat(d.state.phase()).isEqualTo(Phase.PLACING);
        Transition t = d.tick(Duration.ofSeconds(1), shortOf("no agent has label gpu"));
        assertThat(t.state().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(t.state().abortCause()).isEqualTo(AbortCause.PROGRESS_DEADLINE);
        assertThat(t.state().reason())
                .isEqualTo("the progress deadline passed: v2 was not placed in full within the progress deadline of 30m"
                        + " (v2 is short of capacity: no agent has label gpu)");
    }

    @Test
    void onlyTimeTheDriverRanCountsTowardsTheDeadline() {
        d.advance(shortOf("no capacity"));
        for (int i = 0; i < 60; i++) {
            d.tick(Duration.ofMinutes(1), shortOf("no capacity")); // a driver that ran once a minute
        }
        assertThat(d.state.stageElapsed()).isEqualTo(Duration.ofMinutes(5)); // 60 gaps, 5 s counted of each
        assertThat(d.state.phase()).isEqualTo(Phase.PLACING);
    }
}
