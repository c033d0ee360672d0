package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.gate.GateReading;
import dev.weft.rollout.policy.Policy;
import dev.weft.rollout.routing.Weights;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One move in the making: a mutable copy of a state that the machinery edits, collecting the actions and events
 * as it goes. The weights are pushed whenever they change, in the order the edits happen, so a push always
 * comes before the drain or release that follows it.
 */
final class Change {

    final RolloutState before;
    final Policy policy;
    final Instant now;

    Phase phase;

    @Nullable
    Phase pausedFrom;

    int step;
    int toWeight;
    Duration stageElapsed;
    Instant lastAdvanceAt;

    @Nullable
    Instant promotedAt;

    @Nullable
    Instant drainStartedAt;

    @Nullable
    AbortCause abortCause;

    @Nullable
    String reason;

    @Nullable
    String waiting;

    @Nullable
    Instant finishedAt;

    final List<StepRecord> steps;

    private final List<Action> actions = new ArrayList<>();
    private final List<RolloutEvent> events = new ArrayList<>();
    private Weights weights;
    private boolean pushed;

    Change(RolloutState s, Policy policy, Instant now) {
        this.before = s;
        this.policy = policy;
        this.now = now;
        phase = s.phase();
        pausedFrom = s.pausedFrom();
        step = s.step();
        toWeight = s.toWeightBasisPoints();
        stageElapsed = s.stageElapsed();
        lastAdvanceAt = s.lastAdvanceAt();
        promotedAt = s.promotedAt();
        drainStartedAt = s.drainStartedAt();
        abortCause = s.abortCause();
        reason = s.reason();
        waiting = s.waiting();
        finishedAt = s.finishedAt();
        steps = new ArrayList<>(s.steps());
        weights = s.weights();
    }

    /**
     * Counts the time since the last move towards the hold or deadline (at most {@code countedGap} of it) while
     * placing or ramping. Other phases count nothing, so their idle moves leave the state as it is.
     */
    void accrue(Duration countedGap) {
        Duration gap = Duration.between(lastAdvanceAt, now);
        if (gap.compareTo(countedGap) > 0) {
            gap = countedGap;
        }
        if (phase == Phase.PLACING || phase == Phase.RAMPING) {
            stageElapsed = stageElapsed.plus(gap);
            lastAdvanceAt = now;
        }
    }

    String from() {
        return before.from();
    }

    String to() {
        return before.to();
    }

    Phase activePhase() {
        return phase == Phase.PAUSED ? requireNonNull(pausedFrom) : phase;
    }

    StepRecord stepRecord(int index) {
        return steps.get(index);
    }

    void editStep(int index, UnaryOperator<StepRecord> edit) {
        steps.set(index, edit.apply(steps.get(index)));
    }

    void read(int index, List<GateReading> readings) {
        editStep(index, r -> r.read(readings));
    }

    void event(EventKind kind, String message, @Nullable String actor) {
        events.add(new RolloutEvent(kind, now, message, actor));
    }

    void act(Action action) {
        actions.add(action);
    }

    /** Pushes the weights the fields now describe, if they differ from the last ones pushed. */
    void pushIfChanged() {
        Weights current = RolloutState.weightsOf(phase, from(), to(), toWeight);
        if (!current.equals(weights)) {
            weights = current;
            actions.add(new Action.PushTraffic(current));
            pushed = true;
        }
    }

    boolean pushed() {
        return pushed;
    }

    /** "step 2 of 4 (10 %)" */
    String stepLabel(int index) {
        return "step " + (index + 1) + " of " + steps.size() + " ("
                + dev.weft.rollout.policy.Percent.describe(steps.get(index).weightBasisPoints()) + ")";
    }

    /** The move: when anything changed, the state is stamped {@code updatedAt} and {@code lastAdvanceAt} now. */
    Transition transition() {
        RolloutState next = build(lastAdvanceAt, before.updatedAt());
        boolean changed = !next.equals(before);
        if (changed) {
            next = build(now, now);
        }
        return new Transition(next, actions, events, changed);
    }

    private RolloutState build(Instant lastAdvanceAt, Instant updatedAt) {
        return new RolloutState(
                before.application(),
                before.from(),
                before.to(),
                phase,
                pausedFrom,
                step,
                toWeight,
                stageElapsed,
                lastAdvanceAt,
                before.rollbackWindow(),
                promotedAt,
                drainStartedAt,
                abortCause,
                reason,
                waiting,
                before.createdAt(),
                updatedAt,
                finishedAt,
                steps);
    }
}
