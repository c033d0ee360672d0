package dev.weft.rollout;

import dev.weft.rollout.policy.Durations;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Operator requests: each either moves the rollout or is refused with a code and a reason, changing nothing. */
final class Requests {

    private Requests() {}

    /** Why the request cannot be granted in the rollout's current state, or null when it can. */
    static @Nullable Refusal refusal(RolloutState s, OperatorAction action, Instant now) {
        String rollout = "the rollout of " + s.application() + " from " + s.from() + " to " + s.to();
        if (s.isFinished()) {
            return new Refusal(
                    RefusalCode.ROLLOUT_FINISHED,
                    rollout + " is " + s.phase() + " (since " + s.finishedAt() + "); nothing can " + action.pathName()
                            + " it any more. Start a new rollout to move again.");
        }
        if (s.phase() == Phase.ABORTING) {
            return new Refusal(
                    RefusalCode.ROLLOUT_ABORTING,
                    rollout + " is already going back to " + s.from() + " (" + s.reason() + "); it cannot "
                            + action.pathName() + " now.");
        }
        Phase active = s.activePhase();
        return switch (action) {
            case PAUSE ->
                s.phase() == Phase.PAUSED
                        ? new Refusal(RefusalCode.ALREADY_PAUSED, rollout + " is already paused.")
                        : active == Phase.PROMOTED ? promoted(s, rollout, "nothing is left to pause") : null;
            case RESUME ->
                s.phase() == Phase.PAUSED
                        ? null
                        : new Refusal(
                                RefusalCode.NOT_PAUSED,
                                "only a paused rollout can be resumed; " + rollout + " is " + s.phase() + ".");
            case PROMOTE ->
                switch (active) {
                    case PENDING, PLACING ->
                        new Refusal(
                                RefusalCode.NOT_PLACED,
                                s.to() + " is not placed in full yet"
                                        + (s.waiting() == null ? "" : " (" + s.waiting() + ")")
                                        + "; it cannot take traffic before it is.");
                    case PROMOTED -> promoted(s, rollout, "it is promoted already");
                    case RAMPING, PAUSED, DONE, ABORTING, ROLLED_BACK -> null;
                };
            case ABORT -> active == Phase.PROMOTED ? promoted(s, rollout, "abort no longer applies") : null;
            case ROLLBACK -> rollback(s, rollout, active, now);
        };
    }

    private static Refusal promoted(RolloutState s, String rollout, String what) {
        Instant open = s.rollbackOpenUntil();
        String back =
                open == null ? "the rollback window has closed" : "roll back with POST .../rollback until " + open;
        return new Refusal(
                RefusalCode.ALREADY_PROMOTED,
                s.to() + " already takes all traffic in " + rollout + ", so " + what + "; " + back + ".");
    }

    private static @Nullable Refusal rollback(RolloutState s, String rollout, Phase active, Instant now) {
        if (active != Phase.PROMOTED) {
            return new Refusal(
                    RefusalCode.NOT_PROMOTED,
                    rollout + " is not promoted yet (" + s.phase() + "); abort it to send all traffic back to "
                            + s.from() + ".");
        }
        Instant open = s.rollbackOpenUntil();
        if (open == null || !now.isBefore(open)) {
            Instant closed = s.promotedAt() == null ? now : s.promotedAt().plus(s.rollbackWindow());
            return new Refusal(
                    RefusalCode.ROLLBACK_WINDOW_CLOSED,
                    "the rollback window of " + Durations.describe(s.rollbackWindow()) + " closed at " + closed
                            + " and " + s.from() + " is being released; start a rollout to " + s.from()
                            + " to go back.");
        }
        return null;
    }

    /** Grants a request {@link #refusal} allowed. */
    static void grant(Change c, OperatorAction action, String actor) {
        switch (action) {
            case PAUSE -> {
                c.pausedFrom = c.phase;
                c.phase = Phase.PAUSED;
                c.event(EventKind.ROLLOUT_PAUSED, "paused by " + actor + " while " + where(c), actor);
            }
            case RESUME -> {
                c.phase = java.util.Objects.requireNonNull(c.pausedFrom);
                c.pausedFrom = null;
                c.lastAdvanceAt = c.now; // the pause does not count towards the hold
                c.event(EventKind.ROLLOUT_RESUMED, "resumed by " + actor + " while " + where(c), actor);
            }
            case PROMOTE -> Moves.promoteNow(c, actor);
            case ABORT -> Moves.abort(c, AbortCause.OPERATOR_ABORT, "while " + where(c), actor);
            case ROLLBACK -> Moves.abort(c, AbortCause.OPERATOR_ROLLBACK, "within the rollback window", actor);
        }
    }

    private static String where(Change c) {
        return switch (c.activePhase()) {
            case PENDING -> "pending";
            case PLACING -> "placing " + c.to();
            case RAMPING ->
                "at " + c.stepLabel(c.step) + " with " + Durations.describe(c.stageElapsed) + " of "
                        + Durations.describe(c.stepRecord(c.step).hold()) + " held";
            case PAUSED, PROMOTED, DONE, ABORTING, ROLLED_BACK ->
                c.activePhase().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
