package dev.weft.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.policy.Policy;
import dev.weft.rollout.policy.Step;
import dev.weft.rollout.routing.Weights;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** After promotion the old version waits out the rollback window, then drains; going back drains the new one. */
class FinishingTest {

    private static final Policy ONE_STEP =
            Policy.of(List.of(Step.of(5_000, Duration.ofMinutes(1)), Step.full()), List.of());

    private static Driver promoted() {
        Driver d = new Driver(ONE_STEP);
        d.tick(Duration.ofSeconds(1), Driver.placed());
        d.runUntil(Phase.PROMOTED, Duration.ofMinutes(2), x -> Driver.placed());
        return d;
    }

    private static Driver aborting() {
        Driver d = new Driver(ONE_STEP);
        d.tick(Duration.ofSeconds(1), Driver.placed());
        d.run(Duration.ofSeconds(10), x -> Driver.placed());
        d.granted(OperatorAction.ABORT);
        return d;
    }

    @Test
    void theOldVersionStaysPlacedAtZeroForTheRollbackWindow() {
        Driver d = promoted();
        assertThat(d.state.weights()).isEqualTo(Weights.split("v2", "v1", 10_000));
        assertThat(d.state.rollbackOpenUntil()).isEqualTo(d.state.promotedAt().plus(Duration.ofMinutes(10)));
        List<Transition> moves = d.run(Duration.ofSeconds(599), x -> x.draining(0));
        assertThat(moves).isEmpty();
        assertThat(d.state.drainingVersion()).isNull();
        Transition closes = d.tick(Duration.ofSeconds(1), x -> x.draining(4));
        assertThat(closes.actions()).containsExactly(new Action.Drain("v1"));
        assertThat(closes.events().getFirst().message())
                .isEqualTo("the rollback window of 10m closed; draining v1 (no traffic since " + d.state.promotedAt()
                        + ")");
        assertThat(d.state.drainingVersion()).isEqualTo("v1");
        assertThat(d.state.waiting()).isEqualTo("draining v1: 4 request(s) in flight as of " + d.now());
    }

    @Test
    void theOldVersionIsReleasedOnceNothingIsInFlight() {
        Driver d = promoted();
        d.run(Duration.ofMinutes(10), x -> x.draining(2));
        assertThat(d.state.phase()).isEqualTo(Phase.PROMOTED);
        Transition done = d.tick(Duration.ofSeconds(1), x -> x.draining(0));
        RolloutState s = done.state();
        assertThat(s.phase()).isEqualTo(Phase.DONE);
        assertThat(done.actions())
                .containsExactly(new Action.PushTraffic(Weights.only("v2")), new Action.Release("v1"));
        assertThat(s.weights()).isEqualTo(Weights.only("v2"));
        assertThat(s.finishedAt()).isEqualTo(d.now());
        assertThat(s.steps().getLast().outcome()).isEqualTo(StepOutcome.PASSED);
        assertThat(s.reason())
                .isEqualTo("v1 drained (no request in flight as of " + d.now()
                        + ") and was released; v2 serves everything");
        assertThat(done.events()).extracting(RolloutEvent::kind).containsExactly(EventKind.ROLLOUT_DONE);
    }

    @Test
    void anInFlightReportFromBeforeTheTrafficStoppedIsNotTrusted() {
        Driver d = promoted();
        var promotedAt = d.state.promotedAt();
        d.run(Duration.ofMinutes(10), x -> Driver.placed());
        Observation stale = Driver.placed().withDraining(new InFlight(0, promotedAt));
        d.run(Duration.ofMinutes(4), x -> stale);
        assertThat(d.state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(d.state.waiting()).isEqualTo(Moves.drainText("v1"));
    }

    @Test
    void aVersionThatDoesNotDrainIsReleasedAtTheDrainTimeoutAndItIsLogged() {
        Driver d = promoted();
        d.run(Duration.ofMinutes(10), x -> x.draining(3));
        d.run(Duration.ofSeconds(299), x -> x.draining(3));
        assertThat(d.state.phase()).isEqualTo(Phase.PROMOTED);
        Transition timedOut = d.tick(Duration.ofSeconds(1), x -> x.draining(3));
        assertThat(timedOut.state().phase()).isEqualTo(Phase.DONE);
        assertThat(timedOut.events())
                .extracting(RolloutEvent::kind)
                .containsExactly(EventKind.ROLLOUT_DRAIN_TIMED_OUT, EventKind.ROLLOUT_DONE);
        assertThat(timedOut.events().getFirst().message())
                .isEqualTo("v1 did not drain within the drain timeout of 5m (3 request(s) still in flight as of "
                        + d.now() + ") and was released anyway");
        assertThat(timedOut.actions()).endsWith(new Action.Release("v1"));
    }

    @Test
    void aViolationDuringTheRollbackWindowSwitchesTrafficBack() {
        Driver d = promoted();
        d.run(Duration.ofMinutes(3), x -> Driver.placed());
        Transition back = d.tick(Duration.ofSeconds(1), x -> Driver.placed().withViolations(2));
        assertThat(back.state().phase()).isEqualTo(Phase.ABORTING);
        assertThat(back.state().abortCause()).isEqualTo(AbortCause.VERSION_VIOLATION);
        assertThat(back.actions())
                .containsExactly(new Action.PushTraffic(Weights.split("v2", "v1", 0)), new Action.Drain("v2"));
        assertThat(back.state().steps().getLast().outcome()).isEqualTo(StepOutcome.ABORTED);
    }

    @Test
    void goingBackDrainsTheNewVersionThenReleasesIt() {
        Driver d = aborting();
        assertThat(d.state.phase()).isEqualTo(Phase.ABORTING);
        assertThat(d.pushes().getLast()).isEqualTo(Weights.split("v2", "v1", 0));
        d.run(Duration.ofSeconds(20), x -> x.draining(1));
        assertThat(d.state.phase()).isEqualTo(Phase.ABORTING);
        Transition back = d.tick(Duration.ofSeconds(1), x -> x.draining(0));
        assertThat(back.state().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(back.actions())
                .containsExactly(new Action.PushTraffic(Weights.only("v1")), new Action.Release("v2"));
        assertThat(back.state().reason()).isEqualTo("aborted by bob: while at step 1 of 2 (50 %) with 10s of 1m held");
        assertThat(back.state().steps().getFirst().outcome()).isEqualTo(StepOutcome.ABORTED);
    }

    @Test
    void theNewVersionIsReleasedAtTheDrainTimeoutWhenItDoesNotDrain() {
        Driver d = aborting();
        d.runUntil(Phase.ROLLED_BACK, Duration.ofMinutes(5), x -> x.draining(7));
        assertThat(d.transitions.getLast().events())
                .extracting(RolloutEvent::kind)
                .containsExactly(EventKind.ROLLOUT_DRAIN_TIMED_OUT, EventKind.ROLLOUT_ROLLED_BACK);
    }

    @Test
    void nothingChangesAFinishedRollout() {
        Driver d = aborting();
        d.tick(Duration.ofSeconds(1), x -> x.draining(0));
        RolloutState finished = d.state;
        Transition later = d.tick(Duration.ofHours(1), x -> Driver.placed().withViolations(5));
        assertThat(later.changed()).isFalse();
        assertThat(later.state()).isSameAs(finished);
    }

    @Test
    void anyViolationRollsBackInEveryPhase() {
        Driver pending = new Driver(ONE_STEP);
        assertThat(pending.tick(Duration.ofSeconds(1), x -> Driver.placed().withViolations(1))
                        .state()
                        .phase())
                .isEqualTo(Phase.ROLLED_BACK);
        Driver placing = new Driver(ONE_STEP);
        placing.tick(Duration.ofSeconds(1), x -> Observation.of(new PlacementStatus.Placing("1 of 3")));
        Transition t = placing.tick(Duration.ofSeconds(1), x -> Driver.placed().withViolations(1));
        assertThat(t.state().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(t.actions()).containsExactly(new Action.PushTraffic(Weights.only("v1")), new Action.Release("v2"));
        Driver paused = new Driver(ONE_STEP);
        paused.tick(Duration.ofSeconds(1), Driver.placed());
        paused.granted(OperatorAction.PAUSE);
        Transition whilePaused =
                paused.tick(Duration.ofSeconds(1), x -> Driver.placed().withViolations(1));
        assertThat(whilePaused.state().phase()).isEqualTo(Phase.ABORTING);
        assertThat(whilePaused.state().reason())
                .isEqualTo("a version violation: 1 call(s) crossed versions since the rollout started; every call must"
                        + " stay in the version it entered");
    }
}
