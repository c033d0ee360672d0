package dev.weft.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.gate.LoadComparison;
import dev.weft.rollout.gate.Loads;
import dev.weft.rollout.gate.VersionLoad;
import dev.weft.rollout.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Drives one rollout of shop from v1 to v2 the way the scheduler will: a test clock, the persisted state, and
 * an observation per move. Every transition is kept, and every advance is checked to be idempotent.
 */
final class Driver {

    static final Instant T0 = Loads.T0;

    final MutableClock clock = new MutableClock(T0);
    final Rollouts rollouts;
    final Policy policy;
    RolloutState state;
    final List<Transition> transitions = new ArrayList<>();

    Driver(Policy policy) {
        this(policy, RolloutSettings.DEFAULTS);
    }

    Driver(Policy policy, RolloutSettings settings) {
        this.policy = policy;
        this.rollouts = new Rollouts(settings, clock);
        Transition started = (Transition) rollouts.start("shop", "v1", "v2", policy, null, "alice");
        state = started.state();
        transitions.add(started);
    }

    Instant now() {
        return clock.instant();
    }

    Transition advance(Observation observation) {
        Transition t = rollouts.advance(state, policy, observation);
        Transition again = rollouts.advance(t.state(), policy, observation);
        assertThat(again.changed())
                .as("a second advance at the same instant changes nothing")
                .isFalse();
        assertThat(again.actions()).isEmpty();
        assertThat(again.events()).isEmpty();
        state = t.state();
        transitions.add(t);
        return t;
    }

    Transition tick(Duration after, Observation observation) {
        clock.advance(after);
        return advance(observation);
    }

    /** Moves the clock, then observes (so the observation sees the new time) and advances. */
    Transition tick(Duration after, Function<Driver, Observation> observe) {
        clock.advance(after);
        return advance(observe.apply(this));
    }

    /** Ticks once a second for {@code duration}, observing with {@code observe}; returns the transitions with actions. */
    List<Transition> run(Duration duration, Function<Driver, Observation> observe) {
        List<Transition> moves = new ArrayList<>();
        for (long s = 0; s < duration.toSeconds(); s++) {
            Transition t = tick(Duration.ofSeconds(1), observe);
            if (!t.actions().isEmpty() || !t.events().isEmpty()) {
                moves.add(t);
            }
        }
        return moves;
    }

    /** Ticks once a second until the phase is {@code phase}, at most {@code limit}. */
    void runUntil(Phase phase, Duration limit, Function<Driver, Observation> observe) {
        for (long s = 0; s < limit.toSeconds() && state.phase() != phase; s++) {
            tick(Duration.ofSeconds(1), observe);
        }
        assertThat(state.phase()).as("phase after at most " + limit).isEqualTo(phase);
    }

    Decision request(OperatorAction action) {
        Decision d = rollouts.request(state, policy, action, "bob");
        if (d instanceof Transition t) {
            state = t.state();
            transitions.add(t);
        }
        return d;
    }

    Transition granted(OperatorAction action) {
        Decision d = request(action);
        assertThat(d).as(action + " should be granted").isInstanceOf(Transition.class);
        return (Transition) d;
    }

    Refusal refused(OperatorAction action) {
        RolloutState before = state;
        Decision d = request(action);
        assertThat(d).as(action + " should be refused").isInstanceOf(Refusal.class);
        assertThat(state).isSameAs(before);
        return (Refusal) d;
    }

    // Observations

    static Observation placed() {
        return Observation.of(new PlacementStatus.Complete());
    }

    /** Placed, with both versions' load since the current step started: v2 at {@code newRps}, v1 at 200 rps. */
    Observation load(double newRps, double newErrorRate, double newP99) {
        Instant start = state.gateWindowStart();
        if (start == null || !now().isAfter(start)) {
            return placed();
        }
        return placed().withLoad(comparison(start, now(), Loads.shop("v2", newRps, newErrorRate, newP99)));
    }

    Observation healthy() {
        return load(20, 0.001, 50);
    }

    static LoadComparison comparison(Instant start, Instant end, VersionLoad newVersion) {
        return new LoadComparison(start, end, newVersion, Loads.shop("v1", 200, 0.001, 50));
    }

    /** Placed, and the draining version reports {@code requests} in flight as of now. */
    Observation draining(double requests) {
        return placed().withDraining(new InFlight(requests, now()));
    }

    /** The pushes of every transition so far, in order. */
    List<dev.weft.rollout.routing.Weights> pushes() {
        return transitions.stream()
                .flatMap(t -> t.actions().stream())
                .filter(Action.PushTraffic.class::isInstance)
                .map(a -> ((Action.PushTraffic) a).weights())
                .toList();
    }
}
