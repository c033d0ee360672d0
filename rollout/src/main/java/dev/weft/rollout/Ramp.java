package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.gate.Gate;
import dev.weft.rollout.gate.GateReading;
import dev.weft.rollout.gate.Gates;
import dev.weft.rollout.gate.LoadComparison;
import dev.weft.rollout.gate.Verdict;
import dev.weft.rollout.policy.Durations;
import dev.weft.rollout.policy.Step;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A step with traffic. Its gates read the load of both versions since the step started; a reading that fails
 * (with enough data on both sides) rolls back at once, paused or not. The step passes once it has held for its
 * hold, the new version is placed in full, and every gate passes over a reading that covers the whole hold; it
 * gives up at the progress deadline. A paused step only protects: it never passes and its deadline stands still.
 */
final class Ramp {

    private Ramp() {}

    static void run(Change c, Observation o) {
        if (c.activePhase() != Phase.RAMPING) {
            return; // paused while pending or placing: nothing to watch but violations and placement
        }
        int index = c.step;
        Step step = c.policy.step(index);
        List<Gate> gates = c.policy.gatesAt(index);
        Instant startedAt = requireNonNull(c.stepRecord(index).startedAt());
        String unusable = unusable(c, o.load(), startedAt);
        LoadComparison load = unusable == null ? o.load() : null;
        if (!gates.isEmpty() && load != null) {
            List<GateReading> readings =
                    Gates.evaluate(gates, load, c.policy.minRequests(), step.weightBasisPoints() == 0);
            c.read(index, readings);
            for (GateReading reading : readings) {
                if (reading.verdict() == Verdict.FAIL) {
                    Moves.abort(c, AbortCause.GATE_FAILED, c.stepLabel(index) + ": " + reading.detail(), null);
                    return;
                }
            }
        }
        if (c.phase == Phase.PAUSED) {
            return;
        }
        String holding = holding(c, o, gates, load, unusable, startedAt);
        if (holding == null) {
            Moves.passStep(c, summary(c.stepRecord(index).readings()));
        } else if (c.stageElapsed.compareTo(c.policy.progressDeadline()) > 0) {
            Moves.abort(
                    c,
                    AbortCause.PROGRESS_DEADLINE,
                    c.stepLabel(index) + " did not pass within the progress deadline of "
                            + Durations.describe(c.policy.progressDeadline()) + ": " + holding,
                    null);
        } else {
            c.waiting = holding;
        }
    }

    /** Why the step cannot pass yet, or null when it can. */
    private static @Nullable String holding(
            Change c,
            Observation o,
            List<Gate> gates,
            @Nullable LoadComparison load,
            @Nullable String unusable,
            Instant startedAt) {
        Step step = c.policy.step(c.step);
        if (unusable != null && !gates.isEmpty() && c.now.isAfter(startedAt)) {
            return unusable;
        }
        if (c.stageElapsed.compareTo(step.hold()) < 0 || !c.now.isAfter(startedAt)) {
            return holdText(c);
        }
        if (!(o.placement() instanceof PlacementStatus.Complete)) {
            return c.to() + " is not placed in full (" + describe(o.placement()) + "); the step waits for it";
        }
        if (gates.isEmpty()) {
            return null;
        }
        if (load == null) {
            return unusable != null
                    ? unusable
                    : "waiting for the load of both versions since the step started at " + startedAt;
        }
        Instant covers = startedAt.plus(step.hold());
        if (load.end().isBefore(covers)) {
            return "waiting for a load reading that covers the whole hold (to " + covers + "; the latest ends at "
                    + load.end() + ")";
        }
        String short_ = c.stepRecord(c.step).readings().stream()
                .filter(r -> r.verdict() == Verdict.INSUFFICIENT_DATA)
                .map(GateReading::detail)
                .collect(Collectors.joining("; "));
        return short_.isEmpty() ? null : short_;
    }

    /** What a step does while its hold runs. */
    static String holdText(Change c) {
        return "holding " + c.stepLabel(c.step) + " for at least "
                + Durations.describe(c.policy.step(c.step).hold());
    }

    /** Why a load comparison cannot be used for this step, or null when it can. */
    private static @Nullable String unusable(Change c, @Nullable LoadComparison load, Instant startedAt) {
        if (load == null) {
            return null;
        }
        if (!load.newVersion().version().equals(c.to())
                || !load.oldVersion().version().equals(c.from())) {
            return "ignoring a load reading of " + load.newVersion().version() + " vs "
                    + load.oldVersion().version() + ": this rollout compares " + c.to() + " with " + c.from();
        }
        if (load.start().isBefore(startedAt)) {
            return "ignoring a load reading from " + load.start() + ", before the step started at " + startedAt
                    + ": it would mix the weights of two steps";
        }
        return null;
    }

    private static String summary(List<GateReading> readings) {
        if (readings.isEmpty()) {
            return "";
        }
        return "; " + readings.stream().map(GateReading::detail).collect(Collectors.joining("; "));
    }

    private static String describe(PlacementStatus status) {
        return switch (status) {
            case PlacementStatus.Complete complete -> "complete";
            case PlacementStatus.Placing placing -> placing.detail();
            case PlacementStatus.ShortOfCapacity shortOf -> "short of capacity: " + shortOf.reason();
            case PlacementStatus.Failed failed -> "failed: " + failed.reason();
        };
    }
}
