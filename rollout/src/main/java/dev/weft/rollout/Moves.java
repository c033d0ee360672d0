package dev.weft.rollout;

import dev.weft.rollout.policy.Durations;
import dev.weft.rollout.policy.Percent;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The transitions shared by the driver and operator requests: entering steps, promoting, going back, finishing. */
final class Moves {

    private Moves() {}

    static void startPlacing(Change c) {
        c.phase = Phase.PLACING;
        c.stageElapsed = Duration.ZERO;
        c.waiting = "placing " + c.to() + " beside " + c.from();
        c.act(new Action.Place(c.to()));
        c.event(
                EventKind.ROLLOUT_PLACING,
                "placing every replica of " + c.to() + " beside " + c.from()
                        + "; it gets no traffic until it is placed in full",
                null);
    }

    /** Starts step {@code index}; reaching the last one promotes. */
    static void enterStep(Change c, int index, String why) {
        c.step = index;
        c.stageElapsed = Duration.ZERO;
        c.waiting = null;
        c.editStep(index, r -> r.started(c.now));
        if (index == c.steps.size() - 1) {
            promote(c, why);
            return;
        }
        c.phase = Phase.RAMPING;
        c.waiting = Ramp.holdText(c);
        c.toWeight = c.stepRecord(index).weightBasisPoints();
        c.pushIfChanged();
        c.event(
                EventKind.ROLLOUT_STEP_STARTED,
                why + "; " + c.stepLabel(index) + ": " + Percent.describe(c.toWeight) + " of new requests to " + c.to()
                        + " for at least "
                        + Durations.describe(c.stepRecord(index).hold()),
                null);
    }

    private static void promote(Change c, String why) {
        c.phase = Phase.PROMOTED;
        c.pausedFrom = null;
        c.promotedAt = c.now;
        c.toWeight = 10_000;
        c.pushIfChanged();
        Instant closes = c.now.plus(c.before.rollbackWindow());
        c.waiting = "rollback window open until " + closes;
        c.event(
                EventKind.ROLLOUT_PROMOTED,
                why + "; " + c.to() + " takes all new requests, " + c.from() + " stays placed at 0 % until " + closes
                        + " so a rollback is a traffic switch",
                null);
    }

    /** The current step passed: on to the next one. */
    static void passStep(Change c, String summary) {
        int index = c.step;
        c.editStep(index, r -> r.ended(c.now, StepOutcome.PASSED));
        c.event(
                EventKind.ROLLOUT_STEP_PASSED,
                c.stepLabel(index) + " passed after " + Durations.describe(c.stageElapsed) + summary,
                null);
        enterStep(c, index + 1, c.stepLabel(index) + " passed");
    }

    /** An operator skipped the remaining steps. */
    static void promoteNow(Change c, String actor) {
        int last = c.steps.size() - 1;
        if (c.activePhase() == Phase.RAMPING) {
            c.editStep(c.step, r -> r.ended(c.now, StepOutcome.SKIPPED));
        }
        for (int i = c.step + 1; i < last; i++) {
            c.editStep(i, r -> r.ended(null, StepOutcome.SKIPPED));
        }
        c.pausedFrom = null;
        enterStep(c, last, "promoted by " + actor + ", skipping " + c.stepLabel(c.step) + " and the steps after it");
    }

    /**
     * Traffic back to the old version at once. The new version then drains before it is released; when it never
     * had traffic (pending or placing) it is released at once, or was never placed at all.
     */
    static void abort(Change c, AbortCause cause, String why, @Nullable String actor) {
        Phase active = c.activePhase();
        if (active == Phase.RAMPING || active == Phase.PROMOTED) {
            c.editStep(c.step, r -> r.ended(c.now, cause.stepOutcome()));
        }
        c.abortCause = cause;
        c.reason = cause.describe(actor == null ? "the driver" : actor) + ": " + why;
        c.pausedFrom = null;
        c.event(EventKind.ROLLOUT_ABORTED, c.reason + "; all traffic back to " + c.from(), actor);
        c.toWeight = 0;
        if (active == Phase.PENDING || active == Phase.PLACING) {
            boolean placed = active == Phase.PLACING;
            finish(c, Phase.ROLLED_BACK);
            if (placed) {
                c.act(new Action.Release(c.to()));
            }
            c.event(
                    EventKind.ROLLOUT_ROLLED_BACK,
                    c.to() + (placed ? " never had traffic and was released" : " was never placed") + "; " + c.from()
                            + " serves everything",
                    actor);
            return;
        }
        c.phase = Phase.ABORTING;
        c.drainStartedAt = c.now;
        c.pushIfChanged();
        c.act(new Action.Drain(c.to()));
        c.waiting = drainText(c.to());
    }

    /** The rollback window closed: the old version drains. */
    static void startDrainingOld(Change c) {
        c.drainStartedAt = c.now;
        c.act(new Action.Drain(c.from()));
        c.waiting = drainText(c.from());
        c.event(
                EventKind.ROLLOUT_DRAINING,
                "the rollback window of " + Durations.describe(c.before.rollbackWindow()) + " closed; draining "
                        + c.from() + " (no traffic since " + c.promotedAt + ")",
                null);
    }

    /** What a draining rollout waits for before any in-flight report has come in. */
    static String drainText(String version) {
        return "draining " + version + ": waiting for an in-flight report from after it stopped receiving requests";
    }

    /** The old version drained (or timed out): released, and the rollout is done. */
    static void done(Change c, String how) {
        c.editStep(c.step, r -> r.ended(c.now, StepOutcome.PASSED));
        c.reason = how + "; " + c.to() + " serves everything";
        finish(c, Phase.DONE);
        c.act(new Action.Release(c.from()));
        c.event(EventKind.ROLLOUT_DONE, c.reason, null);
    }

    /** The new version drained (or timed out): released, and the rollout is rolled back. */
    static void rolledBack(Change c, String how) {
        finish(c, Phase.ROLLED_BACK);
        c.act(new Action.Release(c.to()));
        c.event(EventKind.ROLLOUT_ROLLED_BACK, how + "; " + c.from() + " serves everything", null);
    }

    private static void finish(Change c, Phase terminal) {
        c.phase = terminal;
        c.pausedFrom = null;
        c.finishedAt = c.now;
        c.waiting = null;
        c.pushIfChanged();
    }
}
