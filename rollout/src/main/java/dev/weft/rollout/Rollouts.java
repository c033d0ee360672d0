package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.policy.Percent;
import dev.weft.rollout.policy.Policy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The rollout rules, as functions from a persisted state, a policy, an input and the clock to the next state:
 * {@link #start}, {@link #advance} on every tick and input change, {@link #request} for operators. Nothing here
 * keeps state between calls; the same state, input and instant always give the same answer, and a second call
 * with the same input at the same instant changes nothing. Times are read once per call from the injected clock,
 * truncated to milliseconds, and never run backwards within a rollout (a clock behind its last move reads as
 * that move's instant).
 */
public final class Rollouts {

    private final RolloutSettings settings;
    private final Clock clock;

    public Rollouts(RolloutSettings settings, Clock clock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * A new rollout of {@code application} from its serving version to {@code to}, PENDING, with the rollback
     * window of the settings. Refused when the application has a rollout that is not finished ({@code active}),
     * serves no version ({@code from} null: deploy it instead), or already serves {@code to}.
     */
    public Decision start(
            String application,
            @Nullable String from,
            String to,
            Policy policy,
            @Nullable RolloutState active,
            String actor) {
        requireNonNull(application, "application is null");
        requireNonNull(to, "to is null");
        requireNonNull(policy, "policy is null");
        if (active != null && !active.isFinished()) {
            return new Refusal(
                    RefusalCode.ROLLOUT_IN_PROGRESS,
                    application + " already has a rollout in progress, from " + active.from() + " to " + active.to()
                            + " (" + active.phase() + "); wait for it to finish or abort it first.");
        }
        if (from == null) {
            return new Refusal(
                    RefusalCode.NO_SERVING_VERSION,
                    application + " serves no version yet; deploy its first version with POST /api/v1/applications/"
                            + application + "/deployments instead.");
        }
        if (from.equals(to)) {
            return new Refusal(
                    RefusalCode.SAME_VERSION,
                    to + " already serves " + application + "; there is nothing to roll out.");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<StepRecord> steps = IntStream.range(0, policy.steps().size())
                .mapToObj(i -> StepRecord.planned(
                        i, policy.step(i).weightBasisPoints(), policy.step(i).hold()))
                .toList();
        RolloutState state = new RolloutState(
                application,
                from,
                to,
                Phase.PENDING,
                null,
                0,
                0,
                Duration.ZERO,
                now,
                settings.rollbackWindow(),
                null,
                null,
                null,
                null,
                null,
                now,
                now,
                null,
                steps);
        String route = policy.steps().stream()
                .map(s -> Percent.describe(s.weightBasisPoints()))
                .collect(Collectors.joining(" -> "));
        RolloutEvent started = new RolloutEvent(
                EventKind.ROLLOUT_STARTED,
                now,
                actor + " started a rollout of " + application + " from " + from + " to " + to + ": " + route,
                actor);
        return new Transition(state, List.of(), List.of(started), true);
    }

    /** The driver's move: what the observation and the time mean for the rollout. */
    public Transition advance(RolloutState state, Policy policy, Observation observation) {
        check(state, policy);
        requireNonNull(observation, "observation is null");
        if (state.isFinished()) {
            return Transition.unchanged(state);
        }
        Change change = new Change(state, policy, now(state));
        change.accrue(settings.countedGap());
        Advance.run(change, observation);
        return change.transition();
    }

    /**
     * For a leader that loads a rollout it has not been driving (a start after a crash or {@code kill -9}, a
     * failover): the time since the rollout's last move, when no driver ran, does not count towards its hold or
     * deadline, so it resumes with the same remaining hold. Call it once, before the first {@link #advance}.
     * (Without it, at most {@link RolloutSettings#countedGap()} of the outage would count.)
     */
    public Transition takeOver(RolloutState state, Policy policy) {
        check(state, policy);
        if (state.isFinished()) {
            return Transition.unchanged(state);
        }
        Change change = new Change(state, policy, now(state));
        if (state.phase() == Phase.PLACING || state.phase() == Phase.RAMPING) {
            change.lastAdvanceAt = change.now;
        }
        return change.transition();
    }

    /** An operator's request by {@code actor}: granted as a transition, or refused with a code and a reason. */
    public Decision request(RolloutState state, Policy policy, OperatorAction action, String actor) {
        check(state, policy);
        requireNonNull(action, "action is null");
        requireNonNull(actor, "actor is null");
        Instant now = now(state);
        Refusal refusal = Requests.refusal(state, action, now);
        if (refusal != null) {
            return refusal;
        }
        Change change = new Change(state, policy, now);
        change.accrue(settings.countedGap());
        Requests.grant(change, action, actor);
        return change.transition();
    }

    private Instant now(RolloutState state) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return now.isBefore(state.lastAdvanceAt()) ? state.lastAdvanceAt() : now;
    }

    private static void check(RolloutState state, Policy policy) {
        requireNonNull(state, "state is null");
        requireNonNull(policy, "policy is null");
        if (!state.follows(policy)) {
            throw new IllegalArgumentException("the policy's steps are not those " + state.application()
                    + "'s rollout to " + state.to() + " was started with");
        }
    }
}
