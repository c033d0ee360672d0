package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.policy.Policy;
import dev.weft.rollout.routing.Weights;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything a rollout is, as the scheduler persists it after every transition: with the policy and the clock
 * it decides every next move, so a control plane restarted from it (or a new leader) resumes exactly.
 *
 * @param application         the application rolled out
 * @param from                the version serving before the rollout
 * @param to                  the version rolled out
 * @param phase               where it is
 * @param pausedFrom          when {@code PAUSED}, the phase it was paused in (PENDING, PLACING or RAMPING)
 * @param step                the current step (0 until ramping starts; the last step once promoted)
 * @param toWeightBasisPoints the new version's share of new requests; see {@link #weights()}
 * @param stageElapsed        active time spent placing or in the current step: it counts only while not paused
 *                            and while the driver runs, so a pause or a restart keeps the remaining hold
 * @param lastAdvanceAt       the last time the driver or an operator moved it (stageElapsed counts from here)
 * @param rollbackWindow      how long after promotion the old version stays placed for a rollback
 * @param promotedAt          when the new version took 100 %
 * @param drainStartedAt      when the version being released (old after the window, new when aborting) began to drain
 * @param abortCause          why it went back, when aborting or rolled back
 * @param reason              how it ended or why it is going back, in a sentence
 * @param waiting             why it is not progressing right now, in a sentence (null when nothing holds it)
 * @param createdAt           when it was started
 * @param updatedAt           when anything last changed
 * @param finishedAt          when it reached DONE or ROLLED_BACK
 * @param steps               one record per policy step, in order
 */
public record RolloutState(
        String application,
        String from,
        String to,
        Phase phase,
        @Nullable Phase pausedFrom,
        int step,
        int toWeightBasisPoints,
        Duration stageElapsed,
        Instant lastAdvanceAt,
        Duration rollbackWindow,
        @Nullable Instant promotedAt,
        @Nullable Instant drainStartedAt,
        @Nullable AbortCause abortCause,
        @Nullable String reason,
        @Nullable String waiting,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant finishedAt,
        List<StepRecord> steps) {

    /** Checks every invariant (see {@code StateRules}): a state that breaks one cannot be built. */
    @SuppressWarnings("ConstructorLeaksThis") // the checks read the finished record
    public RolloutState(
            String application,
            String from,
            String to,
            Phase phase,
            @Nullable Phase pausedFrom,
            int step,
            int toWeightBasisPoints,
            Duration stageElapsed,
            Instant lastAdvanceAt,
            Duration rollbackWindow,
            @Nullable Instant promotedAt,
            @Nullable Instant drainStartedAt,
            @Nullable AbortCause abortCause,
            @Nullable String reason,
            @Nullable String waiting,
            Instant createdAt,
            Instant updatedAt,
            @Nullable Instant finishedAt,
            List<StepRecord> steps) {
        this.application = requireNonNull(application, "application is null");
        this.from = requireNonNull(from, "from is null");
        this.to = requireNonNull(to, "to is null");
        this.phase = requireNonNull(phase, "phase is null");
        this.pausedFrom = pausedFrom;
        this.step = step;
        this.toWeightBasisPoints = toWeightBasisPoints;
        this.stageElapsed = requireNonNull(stageElapsed, "stageElapsed is null");
        this.lastAdvanceAt = requireNonNull(lastAdvanceAt, "lastAdvanceAt is null");
        this.rollbackWindow = requireNonNull(rollbackWindow, "rollbackWindow is null");
        this.promotedAt = promotedAt;
        this.drainStartedAt = drainStartedAt;
        this.abortCause = abortCause;
        this.reason = reason;
        this.waiting = waiting;
        this.createdAt = requireNonNull(createdAt, "createdAt is null");
        this.updatedAt = requireNonNull(updatedAt, "updatedAt is null");
        this.finishedAt = finishedAt;
        this.steps = List.copyOf(steps);
        StateRules.check(this);
    }

    /** The phase that decides what happens next: the paused-from phase while paused. */
    public Phase activePhase() {
        return phase == Phase.PAUSED ? requireNonNull(pausedFrom) : phase;
    }

    public boolean isFinished() {
        return phase.isFinished();
    }

    /**
     * The application's traffic split now, in routing order: {@code [to w, from 10000-w]} while the rollout
     * runs, {@code [to 10000]} once done, {@code [from 10000]} once rolled back.
     */
    public Weights weights() {
        return weightsOf(phase, from, to, toWeightBasisPoints);
    }

    static Weights weightsOf(Phase phase, String from, String to, int toWeight) {
        return switch (phase) {
            case DONE -> Weights.only(to);
            case ROLLED_BACK -> Weights.only(from);
            case PENDING, PLACING, RAMPING, PAUSED, PROMOTED, ABORTING -> Weights.split(to, from, toWeight);
        };
    }

    /**
     * The start of the interval the current step's gates read, when a step with traffic runs (ramping, or paused
     * while ramping): the scheduler reads both versions' load over {@code [gateWindowStart, now)}.
     */
    public @Nullable Instant gateWindowStart() {
        return activePhase() == Phase.RAMPING ? steps.get(step).startedAt() : null;
    }

    /** How much of the current step's hold is left (zero when held, or not ramping). */
    public Duration remainingHold() {
        if (activePhase() != Phase.RAMPING) {
            return Duration.ZERO;
        }
        Duration left = steps.get(step).hold().minus(stageElapsed);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Until when a rollback is a traffic switch (null unless promoted and the window is still open). */
    public @Nullable Instant rollbackOpenUntil() {
        return phase == Phase.PROMOTED && drainStartedAt == null && promotedAt != null
                ? promotedAt.plus(rollbackWindow)
                : null;
    }

    /**
     * The version being drained, whose in-flight requests {@link Observation#draining()} must report: the old one
     * after the rollback window, the new one while aborting; null otherwise.
     */
    public @Nullable String drainingVersion() {
        if (phase == Phase.ABORTING) {
            return to;
        }
        return phase == Phase.PROMOTED && drainStartedAt != null ? from : null;
    }

    /** True when the policy is the one this rollout was started with (same steps, weights and holds). */
    public boolean follows(Policy policy) {
        if (policy.steps().size() != steps.size()) {
            return false;
        }
        for (int i = 0; i < steps.size(); i++) {
            if (policy.step(i).weightBasisPoints() != steps.get(i).weightBasisPoints()
                    || !policy.step(i).hold().equals(steps.get(i).hold())) {
                return false;
            }
        }
        return true;
    }
}
