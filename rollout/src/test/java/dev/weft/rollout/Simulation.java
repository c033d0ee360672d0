package dev.weft.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.gate.GateReading;
import dev.weft.rollout.gate.LoadComparison;
import dev.weft.rollout.gate.Loads;
import dev.weft.rollout.gate.Verdict;
import dev.weft.rollout.policy.Policy;
import dev.weft.rollout.routing.Weights;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A random life of one rollout: ticks with random placement, load, violations and in-flight figures, operator
 * requests, restarts and crashes, each followed by a check of the rules every move must keep.
 */
final class Simulation {

    private static final Set<Phase> GOING_BACK = EnumSet.of(Phase.ABORTING, Phase.ROLLED_BACK);

    final Random random;
    final Policy policy;
    final MutableClock clock = new MutableClock(Driver.T0);
    Rollouts rollouts = new Rollouts(RolloutSettings.DEFAULTS, clock);
    RolloutState state;
    long violations;
    boolean violated;
    double newRps;
    boolean passedWithGates;
    /** When set, the new version serves nothing at all. */
    boolean scarce;

    /** What the operator of this simulation asks for: one in three also aborts and rolls back. */
    final OperatorAction[] operatorActions;

    /** The error rates the new version shows: a healthy one, or one that sometimes fails badly. */
    final Double[] errorRates;

    Simulation(long seed, Policy policy) {
        this.random = new Random(seed);
        this.policy = policy;
        operatorActions = random.nextInt(3) == 0
                ? OperatorAction.values()
                : new OperatorAction[] {
                    OperatorAction.PAUSE, OperatorAction.RESUME, OperatorAction.RESUME, OperatorAction.PROMOTE
                };
        errorRates = random.nextInt(3) == 0 ? new Double[] {0.0, 0.001, 0.3} : new Double[] {0.0, 0.001};
        state = ((Transition) rollouts.start("shop", "v1", "v2", policy, null, "alice")).state();
        newRps = pick(0.0, 0.05, 5.0, 50.0);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    void run(int moves) {
        for (int i = 0; i < moves; i++) {
            int dice = random.nextInt(100);
            if (dice < 75) {
                tick();
            } else if (dice < 85) {
                request(pick(operatorActions));
            } else if (dice < 92) {
                restart();
            } else {
                crashBeforeCommit();
            }
        }
    }

    /** Ticks with harmless observations until the rollout finishes (or the budget runs out). */
    void finish() {
        for (int i = 0; i < 20_000 && !state.isFinished(); i++) {
            clock.advance(Duration.ofSeconds(1));
            Observation o = Driver.placed().withViolations(violations).withDraining(new InFlight(0, clock.instant()));
            move(rollouts.advance(state, policy, o.withLoad(load(state))), o, true);
        }
    }

    void tick() {
        clock.advance(
                random.nextInt(20) == 0
                        ? Duration.ofSeconds(random.nextInt(120))
                        : Duration.ofMillis(random.nextInt(3_000)));
        if (random.nextInt(50) == 0) {
            newRps = pick(0.0, 0.05, 5.0, 50.0);
        }
        if (scarce) {
            newRps = 0;
        }
        Observation o = observe();
        Transition t = rollouts.advance(state, policy, o);
        Transition again = rollouts.advance(t.state(), policy, o);
        assertThat(again.state()).as("idempotent").isEqualTo(t.state());
        assertThat(again.changed()).as("idempotent").isFalse();
        assertThat(again.actions()).isEmpty();
        assertThat(again.events()).isEmpty();
        move(t, o, true);
    }

    void request(OperatorAction action) {
        RolloutState before = state;
        switch (rollouts.request(state, policy, action, "bob")) {
            case Transition t -> move(t, null, false);
            case Refusal r -> {
                assertThat(r.detail()).isNotBlank();
                assertThat(state).isSameAs(before);
            }
        }
    }

    /** A new leader with the persisted state; half the time it takes over first. */
    void restart() {
        rollouts = new Rollouts(RolloutSettings.DEFAULTS, clock);
        clock.advance(Duration.ofSeconds(random.nextInt(30)));
        if (random.nextBoolean()) {
            Transition t = rollouts.takeOver(state, policy);
            assertThat(t.actions()).isEmpty();
            assertThat(t.events()).isEmpty();
            move(t, null, false);
        }
    }

    /** The process dies before committing a move: the next leader repeats the same decision, exactly. */
    void crashBeforeCommit() {
        clock.advance(Duration.ofMillis(random.nextInt(2_000)));
        Observation o = observe();
        Transition lost = rollouts.advance(state, policy, o);
        Transition repeated = new Rollouts(RolloutSettings.DEFAULTS, clock).advance(state, policy, o);
        assertThat(repeated).isEqualTo(lost);
        move(repeated, o, true);
    }

    private Observation observe() {
        if (random.nextInt(400) == 0) {
            violations += 1 + random.nextInt(3);
        }
        int p = random.nextInt(1_000);
        PlacementStatus placement = p < 2
                ? new PlacementStatus.Failed("cart keeps failing to start")
                : p < 80
                        ? new PlacementStatus.ShortOfCapacity(pick("no agent has 2 cores free", "zone east is full"))
                        : p < 150
                                ? new PlacementStatus.Placing("2 of 3 replicas running")
                                : new PlacementStatus.Complete();
        Observation o = new Observation(placement, load(state), violations, null);
        if (state.drainingVersion() != null && random.nextInt(10) > 0) {
            o = o.withDraining(new InFlight(pick(0.0, 0.0, 1.0, 3.0), clock.instant()));
        }
        return o;
    }

    private LoadComparison load(RolloutState s) {
        Instant start = s.gateWindowStart();
        if (start == null || random.nextInt(10) == 0) {
            return null;
        }
        if (random.nextInt(20) == 0) {
            start = start.minusSeconds(10); // a stale window: must be ignored
        }
        Instant end = clock.instant().minusSeconds(random.nextInt(15));
        if (!end.isAfter(start)) {
            return null;
        }
        return new LoadComparison(
                start,
                end,
                Loads.shop("v2", newRps, pick(errorRates), pick(20.0, 50.0, 60.0)),
                Loads.shop("v1", 200, 0.001, 50));
    }

    /** Applies a move and checks every rule a move keeps. */
    private void move(Transition t, Observation o, boolean driver) {
        RolloutState before = state;
        RolloutState after = t.state();
        if (before.isFinished()) {
            assertThat(t.changed()).as("a finished rollout never changes").isFalse();
        }
        // weights never decrease unless going back; every push is a real change, the last one the state's
        int beforeWeight = before.weights().of("v2");
        int afterWeight = after.weights().of("v2");
        if (!GOING_BACK.contains(after.phase())) {
            assertThat(afterWeight)
                    .as("the new version's weight never decreases while ramping")
                    .isGreaterThanOrEqualTo(beforeWeight);
        }
        Weights last = before.weights();
        for (Action a : t.actions()) {
            if (a instanceof Action.PushTraffic push) {
                assertThat(push.weights()).as("a push changes the weights").isNotEqualTo(last);
                last = push.weights();
            }
        }
        assertThat(last).as("the last push is the state's weights").isEqualTo(after.weights());
        // steps start once, in order, and a driver's move never skips one
        for (int i = 0; i < after.steps().size(); i++) {
            StepRecord b = before.steps().get(i);
            StepRecord a = after.steps().get(i);
            if (b.startedAt() != null) {
                assertThat(a.startedAt()).as("a step starts once").isEqualTo(b.startedAt());
            }
            if (a.startedAt() != null) {
                for (int j = 0; j < i; j++) {
                    assertThat(after.steps().get(j).outcome())
                            .as("steps before a started one are over")
                            .isNotNull();
                }
            }
            if (a.outcome() == StepOutcome.PASSED
                    && b.outcome() != StepOutcome.PASSED
                    && i < after.steps().size() - 1) {
                checkPassed(i, a);
            }
            for (GateReading r : a.readings()) {
                if (r.verdict() == Verdict.PASS || r.verdict() == Verdict.FAIL) {
                    assertThat(Math.min(r.newRequests(), r.oldRequests()))
                            .as("a verdict needs minRequests on both sides")
                            .isGreaterThanOrEqualTo(policy.minRequests());
                }
            }
        }
        if (driver) {
            assertThat(after.step() - before.step())
                    .as("the driver never skips a step")
                    .isBetween(0, 1);
        }
        // any violation rolls back, and nothing but going back follows it
        if (o != null && o.violations() > 0 && !before.isFinished()) {
            violated = true;
            assertThat(after.phase()).isIn(Phase.ABORTING, Phase.ROLLED_BACK);
        }
        if (violated && before.phase() != Phase.DONE) {
            assertThat(after.phase()).isIn(Phase.ABORTING, Phase.ROLLED_BACK);
        }
        state = after;
    }

    private void checkPassed(int index, StepRecord passed) {
        List<?> gates = policy.gatesAt(index);
        if (gates.isEmpty()) {
            return;
        }
        passedWithGates = true;
        assertThat(passed.readings()).hasSize(gates.size());
        for (GateReading r : passed.readings()) {
            if (passed.weightBasisPoints() > 0) {
                assertThat(r.verdict())
                        .as("a step with traffic passes only on passing gates")
                        .isEqualTo(Verdict.PASS);
            } else {
                assertThat(r.verdict()).isIn(Verdict.PASS, Verdict.NOT_EVALUATED);
            }
        }
    }
}
