package dev.weft.rollout;

import dev.weft.rollout.gate.Numbers;
import dev.weft.rollout.policy.Durations;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The driver's move on an observation: protection first (a violation or a failed placement rolls back in any
 * phase before the end), then the phase's own rule. It keeps moving while a move leads straight into another
 * (pending to placing to a 0 % step), and stops after any push so every pushed weight is observed before the next.
 */
final class Advance {

    private static final int MOST_MOVES = 4;

    private Advance() {}

    static void run(Change c, Observation o) {
        for (int i = 0; i < MOST_MOVES; i++) {
            if (protect(c, o)) {
                return; // checked again after every move: a placement failure matters once placing starts
            }
            Phase phase = c.phase;
            int step = c.step;
            switch (c.phase) {
                case PENDING -> Moves.startPlacing(c);
                case PLACING -> placing(c, o);
                case RAMPING, PAUSED -> Ramp.run(c, o);
                case PROMOTED -> promoted(c, o);
                case ABORTING -> aborting(c, o);
                case DONE, ROLLED_BACK -> {}
            }
            if (c.pushed() || (c.phase == phase && c.step == step)) {
                return;
            }
        }
    }

    /** Violations and placement failures roll back whatever the phase (until done, or already going back). */
    private static boolean protect(Change c, Observation o) {
        if (c.phase == Phase.ABORTING || c.phase.isFinished()) {
            return false;
        }
        if (o.violations() > 0) {
            Moves.abort(
                    c,
                    AbortCause.VERSION_VIOLATION,
                    o.violations() + " call(s) crossed versions since the rollout started; every call must stay in the "
                            + "version it entered",
                    null);
            return true;
        }
        if (o.placement() instanceof PlacementStatus.Failed failed && c.activePhase() != Phase.PENDING) {
            Moves.abort(c, AbortCause.PLACEMENT_FAILED, c.to() + " cannot be placed: " + failed.reason(), null);
            return true;
        }
        return false;
    }

    private static void placing(Change c, Observation o) {
        switch (o.placement()) {
            case PlacementStatus.Complete complete -> {
                Moves.enterStep(c, 0, c.to() + " is placed in full beside " + c.from());
                return;
            }
            case PlacementStatus.Placing placing ->
                c.waiting = "placing " + c.to() + " beside " + c.from() + ": " + placing.detail();
            case PlacementStatus.ShortOfCapacity shortOf -> {
                String why = c.to() + " is short of capacity: " + shortOf.reason();
                if (!why.equals(c.waiting)) {
                    c.event(EventKind.ROLLOUT_WAITING, why + "; it gets no traffic until it is placed in full", null);
                }
                c.waiting = why;
            }
            case PlacementStatus.Failed failed -> {
                return; // protect() rolled back already
            }
        }
        if (c.stageElapsed.compareTo(c.policy.progressDeadline()) > 0) {
            Moves.abort(
                    c,
                    AbortCause.PROGRESS_DEADLINE,
                    c.to() + " was not placed in full within the progress deadline of "
                            + Durations.describe(c.policy.progressDeadline()) + " (" + c.waiting + ")",
                    null);
        }
    }

    private static void promoted(Change c, Observation o) {
        Instant promotedAt = java.util.Objects.requireNonNull(c.promotedAt);
        if (c.drainStartedAt == null) {
            Instant closes = promotedAt.plus(c.before.rollbackWindow());
            if (c.now.isBefore(closes) || !c.now.isAfter(promotedAt)) {
                return;
            }
            Moves.startDrainingOld(c);
        }
        // The old version has had no new requests since promotion: a report from after it counts.
        String drained = drained(c, o.draining(), c.from(), promotedAt);
        if (drained != null) {
            Moves.done(c, drained);
        }
    }

    private static void aborting(Change c, Observation o) {
        String drained = drained(c, o.draining(), c.to(), java.util.Objects.requireNonNull(c.drainStartedAt));
        if (drained != null) {
            Moves.rolledBack(c, drained);
        }
    }

    /**
     * How the version finished draining (no request in flight in a report from after {@code trafficStopped},
     * or the drain timeout passed, which is logged), or null while it is still draining.
     */
    private static @Nullable String drained(
            Change c, @Nullable InFlight inFlight, String version, Instant trafficStopped) {
        Instant started = java.util.Objects.requireNonNull(c.drainStartedAt);
        if (inFlight != null && inFlight.asOf().isAfter(trafficStopped) && inFlight.requests() == 0) {
            return version + " drained (no request in flight as of " + inFlight.asOf() + ") and was released";
        }
        Instant deadline = started.plus(c.policy.drainTimeout());
        if (c.now.isAfter(started) && !c.now.isBefore(deadline)) {
            String left = inFlight == null || !inFlight.asOf().isAfter(trafficStopped)
                    ? "no in-flight report since it stopped receiving requests"
                    : Numbers.format(inFlight.requests()) + " request(s) still in flight as of " + inFlight.asOf();
            String message = version + " did not drain within the drain timeout of "
                    + Durations.describe(c.policy.drainTimeout()) + " (" + left + ") and was released anyway";
            c.event(EventKind.ROLLOUT_DRAIN_TIMED_OUT, message, null);
            return message;
        }
        c.waiting = inFlight == null || !inFlight.asOf().isAfter(trafficStopped)
                ? Moves.drainText(version)
                : "draining " + version + ": " + Numbers.format(inFlight.requests()) + " request(s) in flight as of "
                        + inFlight.asOf();
        return null;
    }
}
