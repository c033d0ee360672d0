package dev.weft.scheduler.rollouts;

import dev.weft.rollout.Phase;
import dev.weft.rollout.RolloutState;
import dev.weft.rollout.StepRecord;
import dev.weft.rollout.gate.GateReading;
import dev.weft.rollout.policy.Durations;
import dev.weft.rollout.policy.Percent;
import dev.weft.rollout.policy.PolicyDraft;
import dev.weft.scheduler.rollouts.RolloutStore.Stored;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A rollout as the REST API shows it. Weights are in percent of new requests (two decimals) with the basis points
 * beside them; durations are strings as the policy takes them ({@code 4m30s}); times are ISO-8601 instants.
 */
@Schema(description = "A rollout: where it stands, its traffic split, each step with its gates' latest readings")
record RolloutView(
        long id,
        String application,
        String from,
        String to,

        @Schema(description = "PENDING, PLACING, RAMPING, PAUSED, PROMOTED, DONE, ABORTING or ROLLED_BACK")
        String state,

        @Schema(description = "While PAUSED: the phase it was paused in (PENDING, PLACING or RAMPING)") @Nullable
        String pausedFrom,

        @Schema(description = "The current step's index (0 until ramping starts; the last step once promoted)")
        int step,

        @Schema(description = "The application's traffic split the rollout holds, in routing order (new version first)")
        List<WeightView> weights,

        @Schema(
                description =
                        "What is left of the current step's hold (0s unless ramping), counting down while it runs")
        String holdLeft,

        @Schema(description = "Why it is not progressing right now (null when nothing holds it)") @Nullable
        String waiting,

        @Schema(description = "How it ended or why it is going back") @Nullable
        String reason,

        @Schema(
                description = "Why it went back: OPERATOR_ABORT, OPERATOR_ROLLBACK, GATE_FAILED, PLACEMENT_FAILED, "
                        + "PROGRESS_DEADLINE or VERSION_VIOLATION")
        @Nullable
        String abortCause,

        @Nullable Instant promotedAt,

        @Schema(description = "Until when POST .../rollback is a traffic switch (null unless promoted and open)")
        @Nullable
        Instant rollbackOpenUntil,

        @Schema(description = "The version being drained before it is released, if any") @Nullable
        String draining,

        @Schema(description = "Who started it") String createdBy,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant finishedAt,

        @Schema(description = "The policy it follows, in canonical form (a preset resolved against both versions)")
        PolicyDraft policy,

        List<StepView> steps) {

    /** A version's share: {@code weight} in percent (two decimals), {@code basisPoints} out of 10000. */
    record WeightView(String version, BigDecimal weight, int basisPoints) {}

    /** A step: its weight and hold, when it ran, how it ended, and its gates' latest readings. */
    record StepView(
            int index,
            BigDecimal weight,
            String hold,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,

            @Schema(description = "PASSED, FAILED, SKIPPED or ABORTED; null while it runs or has not started") @Nullable
            String outcome,

            List<GateView> gates) {}

    /**
     * One gate's latest reading, the new version and the old side by side over the same interval: {@code value} is
     * what the bounds are compared with (the ratio new/old for latencyP99Ratio, else the new version's figure).
     */
    record GateView(
            String metric,
            @Nullable String component,
            @Nullable Double min,
            @Nullable Double max,

            @Schema(description = "PASS, FAIL, INSUFFICIENT_DATA or NOT_EVALUATED")
            String verdict,

            @Nullable Double value,
            @Nullable Double newValue,
            @Nullable Double oldValue,
            long newRequests,
            long oldRequests,
            long newSamples,
            long oldSamples,
            Instant from,
            Instant until,
            String detail) {}

    static RolloutView of(Stored rollout, Instant now) {
        RolloutState s = rollout.state();
        return new RolloutView(
                rollout.id(),
                s.application(),
                s.from(),
                s.to(),
                s.phase().name(),
                s.pausedFrom() == null ? null : s.pausedFrom().name(),
                s.step(),
                s.weights().entries().stream()
                        .map(w -> new WeightView(w.version(), Percent.of(w.basisPoints()), w.basisPoints()))
                        .toList(),
                Durations.format(holdLeft(s, now)),
                s.waiting(),
                s.reason(),
                s.abortCause() == null ? null : s.abortCause().name(),
                s.promotedAt(),
                s.rollbackOpenUntil(),
                s.drainingVersion(),
                rollout.createdBy(),
                s.createdAt(),
                s.updatedAt(),
                s.finishedAt(),
                PolicyDraft.of(rollout.policy()),
                s.steps().stream().map(RolloutView::step).toList());
    }

    /** The remaining hold now: while ramping (not paused) the time since the last move counts too. */
    static Duration holdLeft(RolloutState s, Instant now) {
        Duration left = s.remainingHold();
        if (s.phase() == Phase.RAMPING && now.isAfter(s.lastAdvanceAt())) {
            left = left.minus(Duration.between(s.lastAdvanceAt(), now));
        }
        left = left.isNegative() ? Duration.ZERO : left;
        return Duration.ofSeconds(left.toSeconds() + (left.toNanos() % 1_000_000_000L > 0 ? 1 : 0));
    }

    private static StepView step(StepRecord step) {
        return new StepView(
                step.index(),
                Percent.of(step.weightBasisPoints()),
                Durations.format(step.hold()),
                step.startedAt(),
                step.finishedAt(),
                step.outcome() == null ? null : step.outcome().name(),
                step.readings().stream().map(RolloutView::gate).toList());
    }

    private static GateView gate(GateReading r) {
        return new GateView(
                r.gate().metric().jsonName(),
                r.gate().component(),
                r.gate().min(),
                r.gate().max(),
                r.verdict().name(),
                r.value(),
                r.newValue(),
                r.oldValue(),
                r.newRequests(),
                r.oldRequests(),
                r.newSamples(),
                r.oldSamples(),
                r.from(),
                r.to(),
                r.detail());
    }
}
