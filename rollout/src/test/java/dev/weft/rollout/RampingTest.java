package dev.weft.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.gate.Gate;
import dev.weft.rollout.gate.GateReading;
import dev.weft.rollout.gate.Loads;
import dev.weft.rollout.gate.Metric;
import dev.weft.rollout.gate.Verdict;
import dev.weft.rollout.policy.Policy;
import dev.weft.rollout.policy.Presets;
import dev.weft.rollout.policy.Step;
import dev.weft.rollout.routing.Weights;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RampingTest {

    private static final Policy CANARY = Presets.named("canary").orElseThrow();

    private static Driver ramping(Policy policy) {
        Driver d = new Driver(policy);
        d.tick(Duration.ofSeconds(1), Driver.placed());
        assertThat(d.state.phase()).isEqualTo(Phase.RAMPING);
        return d;
    }

    @Test
    void aStepHoldsForItsHoldThenPassesWhenItsGatesPass() {
        Driver d = ramping(CANARY);
        Instant started = d.now();
        d.run(Duration.ofSeconds(299), Driver::healthy);
        assertThat(d.state.step()).as("4m59s into a 5m hold").isZero();
        assertThat(d.state.remainingHold()).isEqualTo(Duration.ofSeconds(1));
        Transition passed = d.tick(Duration.ofSeconds(1), Driver::healthy);
        assertThat(passed.state().step()).isEqualTo(1);
        assertThat(passed.actions()).containsExactly(new Action.PushTraffic(Weights.split("v2", "v1", 1_000)));
        StepRecord first = passed.state().steps().getFirst();
        assertThat(first.outcome()).isEqualTo(StepOutcome.PASSED);
        assertThat(first.startedAt()).isEqualTo(started);
        assertThat(first.finishedAt()).isEqualTo(started.plusSeconds(300));
        assertThat(first.readings()).extracting(GateReading::verdict).containsExactly(Verdict.PASS, Verdict.PASS);
        assertThat(first.readings().getFirst().from()).isEqualTo(started);
        assertThat(first.readings().getFirst().to()).isEqualTo(started.plusSeconds(300));
        assertThat(passed.events())
                .extracting(RolloutEvent::kind)
                .containsExactly(EventKind.ROLLOUT_STEP_PASSED, EventKind.ROLLOUT_STEP_STARTED);
        assertThat(passed.events().getFirst().message())
                .startsWith("step 1 of 4 (1 %) passed after 5m; errorRate <= 0.01 passed: v2 0.0005 (12000 requests)");
    }

    @Test
    void aFullCanaryPushesEachWeightOnceAndInOrder() {
        Driver d = ramping(CANARY);
        d.runUntil(Phase.PROMOTED, Duration.ofMinutes(21), Driver::healthy);
        assertThat(d.pushes())
                .containsExactly(
                        Weights.split("v2", "v1", 100),
                        Weights.split("v2", "v1", 1_000),
                        Weights.split("v2", "v1", 5_000),
                        Weights.split("v2", "v1", 10_000));
        assertThat(d.state.steps())
                .extracting(StepRecord::outcome)
                .containsExactly(StepOutcome.PASSED, StepOutcome.PASSED, StepOutcome.PASSED, null);
        assertThat(d.state.promotedAt()).isEqualTo(d.now());
    }

    @Test
    void aFailingGateRollsBackAtOnceWithTrafficToTheOldVersion() {
        Driver d = ramping(CANARY);
        d.run(Duration.ofSeconds(30), Driver::healthy);
        Transition failed = d.tick(Duration.ofSeconds(1), x -> x.load(20, 0.05, 50));
        RolloutState s = failed.state();
        assertThat(s.phase()).isEqualTo(Phase.ABORTING);
        assertThat(s.abortCause()).isEqualTo(AbortCause.GATE_FAILED);
        assertThat(failed.actions())
                .containsExactly(new Action.PushTraffic(Weights.split("v2", "v1", 0)), new Action.Drain("v2"));
        assertThat(s.steps().getFirst().outcome()).isEqualTo(StepOutcome.FAILED);
        assertThat(s.steps().getFirst().readings().getFirst().verdict()).isEqualTo(Verdict.FAIL);
        assertThat(s.reason())
                .isEqualTo("a gate failed: step 1 of 4 (1 %): errorRate <= 0.01 failed: v2 0.025 (1240 requests) vs v1"
                        + " 0.0005 (12400 requests)");
        assertThat(failed.events()).extracting(RolloutEvent::kind).containsExactly(EventKind.ROLLOUT_ABORTED);
        assertThat(s.drainingVersion()).isEqualTo("v2");
    }

    @Test
    void tooLittleTrafficHoldsTheStepUntilTheProgressDeadline() {
        Driver d = ramping(CANARY);
        // 0.1 rps on each of two components: 60 requests a minute, 100 needed... after 50 s there are 100
        d.run(Duration.ofSeconds(40), x -> x.load(0.1, 0, 50));
        assertThat(d.state.steps().getFirst().readings())
                .extracting(GateReading::verdict)
                .containsOnly(Verdict.INSUFFICIENT_DATA);
        Driver quiet = ramping(CANARY);
        quiet.run(Duration.ofMinutes(30), x -> x.load(0.001, 0, 50));
        assertThat(quiet.state.step()).as("held past its 5m hold").isZero();
        assertThat(quiet.state.waiting()).startsWith("errorRate <= 0.01 holds: it needs 100 requests on each version");
        Transition deadline = quiet.tick(Duration.ofSeconds(1), x -> x.load(0.001, 0, 50));
        assertThat(deadline.state().phase()).isEqualTo(Phase.ABORTING);
        assertThat(deadline.state().abortCause()).isEqualTo(AbortCause.PROGRESS_DEADLINE);
        assertThat(deadline.state().reason())
                .startsWith("the progress deadline passed: step 1 of 4 (1 %) did not pass within the progress deadline"
                        + " of 30m: errorRate <= 0.01 holds");
        assertThat(quiet.pushes())
                .as("nothing beyond the first step was ever pushed")
                .hasSize(2);
    }

    @Test
    void aReadingMustCoverTheWholeHoldBeforeTheStepPasses() {
        Driver d = ramping(CANARY);
        Instant started = d.now();
        // the load store lags 20 s behind the clock
        d.run(Duration.ofSeconds(310), x -> lagging(x, started, Duration.ofSeconds(20)));
        assertThat(d.state.step()).isZero();
        assertThat(d.state.waiting()).startsWith("waiting for a load reading that covers the whole hold");
        d.run(Duration.ofSeconds(10), x -> lagging(x, started, Duration.ofSeconds(20)));
        assertThat(d.state.step()).isEqualTo(1);
    }

    private static Observation lagging(Driver d, Instant start, Duration lag) {
        Instant end = d.now().minus(lag);
        if (!end.isAfter(start)) {
            return Driver.placed();
        }
        return Driver.placed().withLoad(Driver.comparison(start, end, Loads.shop("v2", 20, 0, 50)));
    }

    @Test
    void loadFromBeforeTheStepStartedIsIgnored() {
        Driver d = ramping(CANARY);
        d.runUntil(Phase.RAMPING, Duration.ofSeconds(1), Driver::healthy);
        Instant step0 = d.state.gateWindowStart();
        d.run(Duration.ofSeconds(300), Driver::healthy);
        assertThat(d.state.step()).isEqualTo(1);
        // the same bad traffic, read from the start of the previous step, must not judge this step
        Observation mixed = Driver.placed()
                .withLoad(Driver.comparison(step0, d.now().plusSeconds(1), Loads.shop("v2", 20, 0.5, 50)));
        Transition t = d.tick(Duration.ofSeconds(1), mixed);
        assertThat(t.state().phase()).isEqualTo(Phase.RAMPING);
        assertThat(t.state().waiting()).contains("before the step started").contains("mix the weights of two steps");
    }

    @Test
    void aLoadReadingOfOtherVersionsIsIgnored() {
        Driver d = ramping(CANARY);
        d.tick(Duration.ofSeconds(10), Driver.placed());
        Observation wrong = Driver.placed()
                .withLoad(new dev.weft.rollout.gate.LoadComparison(
                        d.state.gateWindowStart(),
                        d.now(),
                        Loads.shop("v3", 20, 0.5, 50),
                        Loads.shop("v1", 20, 0, 50)));
        Transition t = d.tick(Duration.ofSeconds(1), wrong);
        assertThat(t.state().phase()).isEqualTo(Phase.RAMPING);
        assertThat(t.state().waiting()).contains("this rollout compares v2 with v1");
    }

    @Test
    void aStepWaitsWhileTheNewVersionIsNotPlacedInFull() {
        Driver d = ramping(CANARY);
        d.run(
                Duration.ofMinutes(6),
                x -> new Observation(
                        new PlacementStatus.Placing("11 of 12 replicas running"),
                        x.healthy().load(),
                        0,
                        null));
        assertThat(d.state.step()).isZero();
        assertThat(d.state.waiting())
                .isEqualTo("v2 is not placed in full (11 of 12 replicas running); the step waits for it");
        d.tick(Duration.ofSeconds(1), Driver::healthy);
        assertThat(d.state.step()).isEqualTo(1);
    }

    @Test
    void aStepWithoutGatesPassesOnTimeAlone() {
        Policy timed = Policy.of(List.of(Step.of(2_500, Duration.ofMinutes(2)), Step.full()), List.of());
        Driver d = ramping(timed);
        d.run(Duration.ofSeconds(119), x -> Driver.placed());
        assertThat(d.state.phase()).isEqualTo(Phase.RAMPING);
        d.tick(Duration.ofSeconds(1), Driver.placed());
        assertThat(d.state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(d.pushes()).containsExactly(Weights.split("v2", "v1", 2_500), Weights.split("v2", "v1", 10_000));
    }

    @Test
    void blueGreensIdleStepIsTimeOnlyAndThenTrafficSwitchesAtOnce() {
        Driver d = new Driver(Presets.named("blue-green").orElseThrow());
        Transition placed = d.tick(Duration.ofSeconds(1), Driver.placed());
        assertThat(placed.state().phase()).isEqualTo(Phase.RAMPING);
        assertThat(placed.push()).as("0 % is what it already was").isEmpty();
        d.run(Duration.ofSeconds(299), x -> x.load(0, 0, 0));
        assertThat(d.state.steps().getFirst().readings())
                .extracting(GateReading::verdict)
                .containsOnly(Verdict.NOT_EVALUATED);
        Transition promoted = d.tick(Duration.ofSeconds(1), x -> x.load(0, 0, 0));
        assertThat(promoted.state().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(promoted.actions()).containsExactly(new Action.PushTraffic(Weights.split("v2", "v1", 10_000)));
    }

    @Test
    void smokeTestsSentToAnIdleVersionAreJudged() {
        Driver d = new Driver(Presets.named("blue-green").orElseThrow());
        d.tick(Duration.ofSeconds(1), Driver.placed());
        d.run(Duration.ofSeconds(60), x -> x.load(5, 0.3, 50));
        assertThat(d.state.phase()).isEqualTo(Phase.ABORTING);
        assertThat(d.state.abortCause()).isEqualTo(AbortCause.GATE_FAILED);
    }

    @Test
    void aThresholdOnOneComponentGatesTheStep() {
        Policy policy = Policy.of(
                List.of(
                        new Step(
                                1_000,
                                Duration.ofMinutes(1),
                                List.of(Gate.max(Metric.CPU_CORES, 0.3).of("cart"))),
                        Step.full()),
                List.of());
        Driver d = ramping(policy);
        d.run(Duration.ofSeconds(30), Driver::healthy);
        assertThat(d.state.phase())
                .as("cart uses 0.25 cores in the shop fixture")
                .isEqualTo(Phase.RAMPING);
        Driver tight = ramping(Policy.of(
                List.of(
                        new Step(
                                1_000,
                                Duration.ofMinutes(1),
                                List.of(Gate.max(Metric.CPU_CORES, 0.2).of("cart"))),
                        Step.full()),
                List.of()));
        tight.run(Duration.ofSeconds(30), Driver::healthy);
        assertThat(tight.state.abortCause()).isEqualTo(AbortCause.GATE_FAILED);
    }
}
