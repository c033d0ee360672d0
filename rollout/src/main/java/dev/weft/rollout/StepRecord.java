package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.gate.GateReading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The history of one step of a rollout (a row of {@code rollout_steps}): its weight and hold from the policy,
 * when it started and finished, how it ended, and the latest reading of each of its gates (the policy's gates,
 * then the step's own, in that order), which is the reading that decided the step once it ended. The last step
 * (100 %) starts at promotion and finishes when the rollout is done or rolled back.
 */
public record StepRecord(
        int index,
        int weightBasisPoints,
        Duration hold,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable StepOutcome outcome,
        List<GateReading> readings) {

    public StepRecord {
        requireNonNull(hold, "hold is null");
        readings = List.copyOf(readings);
        if (finishedAt != null && startedAt == null) {
            throw new IllegalArgumentException("step " + index + " finished without starting");
        }
        if (finishedAt != null && outcome == null) {
            throw new IllegalArgumentException("step " + index + " finished without an outcome");
        }
    }

    static StepRecord planned(int index, int weightBasisPoints, Duration hold) {
        return new StepRecord(index, weightBasisPoints, hold, null, null, null, List.of());
    }

    StepRecord started(Instant at) {
        return new StepRecord(index, weightBasisPoints, hold, at, null, null, readings);
    }

    StepRecord ended(@Nullable Instant at, StepOutcome how) {
        return new StepRecord(index, weightBasisPoints, hold, startedAt, at, how, readings);
    }

    StepRecord read(List<GateReading> latest) {
        return new StepRecord(index, weightBasisPoints, hold, startedAt, finishedAt, outcome, latest);
    }
}
