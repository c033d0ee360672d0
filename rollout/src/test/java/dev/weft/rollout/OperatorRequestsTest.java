package dev.weft.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.policy.Policy;
import dev.weft.rollout.policy.Presets;
import dev.weft.rollout.routing.Weights;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperatorRequestsTest {

    private static final Policy CANARY = Presets.named("canary").orElseThrow();

    /** A rollout driven into the situation named. */
    private static Driver in(String situation) {
        Driver d = new Driver(CANARY);
        Supplier<Driver> ramp = () -> {
            d.tick(Duration.ofSeconds(1), Driver.placed());
            d.run(Duration.ofSeconds(30), Driver::healthy);
            return d;
        };
        switch (situation) {
            case "PENDING" -> {}
            case "PLACING" -> d.tick(Duration.ofSeconds(1), x -> Observation.of(new PlacementStatus.Placing("1 of 3")));
            case "PAUSED_PLACING" -> {
                d.tick(Duration.ofSeconds(1), x -> Observation.of(new PlacementStatus.Placing("1 of 3")));
                d.granted(OperatorAction.PAUSE);
            }
            case "RAMPING" -> ramp.get();
            case "PAUSED_RAMPING" -> ramp.get().granted(OperatorAction.PAUSE);
            case "PROMOTED" -> ramp.get().granted(OperatorAction.PROMOTE);
            case "DRAINING_OLD" -> {
                ramp.get().granted(OperatorAction.PROMOTE);
                d.run(Duration.ofMinutes(10), x -> x.draining(1));
                assertThat(d.state.drainingVersion()).isEqualTo("v1");
            }
            case "ABORTING" -> ramp.get().granted(OperatorAction.ABORT);
            case "DONE" -> {
                ramp.get().granted(OperatorAction.PROMOTE);
                d.runUntil(Phase.DONE, Duration.ofMinutes(11), x -> x.draining(0));
            }
            case "ROLLED_BACK" -> {
                ramp.get().granted(OperatorAction.ABORT);
                d.runUntil(Phase.ROLLED_BACK, Duration.ofMinutes(1), x -> x.draining(0));
            }
            default -> throw new IllegalArgumentException(situation);
        }
        return d;
    }

    /** Every request in every situation: granted (the phase it leads to) or refused (the code). */
    @ParameterizedTest(name = "{0}: pause {1}, resume {2}, promote {3}, abort {4}, rollback {5}")
    @CsvSource({
        "PENDING,        PAUSED,                 NOT_PAUSED,     NOT_PLACED,       ROLLED_BACK,      NOT_PROMOTED",
        "PLACING,        PAUSED,                 NOT_PAUSED,     NOT_PLACED,       ROLLED_BACK,      NOT_PROMOTED",
        "PAUSED_PLACING, ALREADY_PAUSED,         PLACING,        NOT_PLACED,       ROLLED_BACK,      NOT_PROMOTED",
        "RAMPING,        PAUSED,                 NOT_PAUSED,     PROMOTED,         ABORTING,         NOT_PROMOTED",
        "PAUSED_RAMPING, ALREADY_PAUSED,         RAMPING,        PROMOTED,         ABORTING,         NOT_PROMOTED",
        "PROMOTED,       ALREADY_PROMOTED,       NOT_PAUSED,     ALREADY_PROMOTED, ALREADY_PROMOTED, ABORTING",
        "DRAINING_OLD,   ALREADY_PROMOTED,       NOT_PAUSED,     ALREADY_PROMOTED, ALREADY_PROMOTED, ROLLBACK_WINDOW_CLOSED",
        "ABORTING,       ROLLOUT_ABORTING,       ROLLOUT_ABORTING, ROLLOUT_ABORTING, ROLLOUT_ABORTING, ROLLOUT_ABORTING",
        "DONE,           ROLLOUT_FINISHED,       ROLLOUT_FINISHED, ROLLOUT_FINISHED, ROLLOUT_FINISHED, ROLLOUT_FINISHED",
        "ROLLED_BACK,    ROLLOUT_FINISHED,       ROLLOUT_FINISHED, ROLLOUT_FINISHED, ROLLOUT_FINISHED, ROLLOUT_FINISHED",
    })
    void everyRequestIsGrantedOrRefusedWithACode(
            String situation, String pause, String resume, String promote, String abort, String rollback) {
        String[] expected = {pause, resume, promote, abort, rollback};
        OperatorAction[] actions = OperatorAction.values();
        for (int i = 0; i < actions.length; i++) {
            Driver d = in(situation);
            Decision decision = d.request(actions[i]);
            String outcome = switch (decision) {
                case Transition t -> t.state().phase().name();
                case Refusal r -> r.code().name();
            };
            assertThat(outcome).as(actions[i] + " in " + situation).isEqualTo(expected[i]);
            if (decision instanceof Refusal r) {
                assertThat(r.detail()).isNotBlank();
            }
        }
    }

    @Test
    void aPauseFreezesTheHoldAndResumeKeepsWhatWasLeft() {
        Driver d = in("RAMPING"); // 30 s into a 5 min hold
        d.run(Duration.ofSeconds(90), Driver::healthy);
        assertThat(d.state.remainingHold()).isEqualTo(Duration.ofMinutes(3));
        Transition paused = d.granted(OperatorAction.PAUSE);
        assertThat(paused.events().getFirst().message())
                .isEqualTo("paused by bob while at step 1 of 4 (1 %) with 2m of 5m held");
        assertThat(paused.events().getFirst().actor()).isEqualTo("bob");
        d.run(Duration.ofHours(2), Driver::healthy);
        assertThat(d.state.phase()).as("the progress deadline stands still too").isEqualTo(Phase.PAUSED);
        assertThat(d.state.remainingHold()).isEqualTo(Duration.ofMinutes(3));
        assertThat(d.state.weights()).as("traffic stays where it was").isEqualTo(Weights.split("v2", "v1", 100));
        d.granted(OperatorAction.RESUME);
        d.run(Duration.ofSeconds(179), Driver::healthy);
        assertThat(d.state.step()).isZero();
        d.tick(Duration.ofSeconds(1), Driver::healthy);
        assertThat(d.state.step()).isEqualTo(1);
    }

    @Test
    void aPausedStepStillRollsBackOnAFailingGate() {
        Driver d = in("PAUSED_RAMPING");
        d.tick(Duration.ofSeconds(1), x -> x.load(20, 0.2, 50));
        assertThat(d.state.phase()).isEqualTo(Phase.ABORTING);
        assertThat(d.state.abortCause()).isEqualTo(AbortCause.GATE_FAILED);
    }

    @Test
    void promoteSkipsTheRemainingStepsAndSaysWho() {
        Driver d = in("RAMPING");
        Transition promoted = d.granted(OperatorAction.PROMOTE);
        assertThat(promoted.actions()).containsExactly(new Action.PushTraffic(Weights.split("v2", "v1", 10_000)));
        assertThat(promoted.state().steps())
                .extracting(StepRecord::outcome)
                .containsExactly(StepOutcome.SKIPPED, StepOutcome.SKIPPED, StepOutcome.SKIPPED, null);
        assertThat(promoted.state().steps().get(1).startedAt()).isNull();
        assertThat(promoted.state().steps().getLast().startedAt()).isEqualTo(d.now());
        assertThat(promoted.events().getFirst().message())
                .startsWith(
                        "promoted by bob, skipping step 1 of 4 (1 %) and the steps after it; v2 takes all new requests");
    }

    @Test
    void aRollbackWithinTheWindowIsATrafficSwitch() {
        Driver d = in("PROMOTED");
        d.run(Duration.ofMinutes(9), x -> Driver.placed());
        Transition back = d.granted(OperatorAction.ROLLBACK);
        assertThat(back.actions())
                .containsExactly(new Action.PushTraffic(Weights.split("v2", "v1", 0)), new Action.Drain("v2"));
        assertThat(back.state().abortCause()).isEqualTo(AbortCause.OPERATOR_ROLLBACK);
        assertThat(back.events().getFirst().actor()).isEqualTo("bob");
    }

    @Test
    void aRollbackAfterTheWindowIsRefusedEvenBeforeTheDriverMoved() {
        Driver d = in("PROMOTED");
        d.clock.advance(Duration.ofMinutes(10));
        Refusal late = d.refused(OperatorAction.ROLLBACK);
        assertThat(late.code()).isEqualTo(RefusalCode.ROLLBACK_WINDOW_CLOSED);
        assertThat(late.detail())
                .isEqualTo("the rollback window of 10m closed at "
                        + d.state.promotedAt().plus(Duration.ofMinutes(10))
                        + " and v1 is being released; start a rollout to v1 to go back.");
    }

    @Test
    void refusalsSayWhatWouldWorkInstead() {
        assertThat(in("RAMPING").refused(OperatorAction.RESUME).detail())
                .isEqualTo("only a paused rollout can be resumed; the rollout of shop from v1 to v2 is RAMPING.");
        assertThat(in("RAMPING").refused(OperatorAction.ROLLBACK).detail())
                .isEqualTo(
                        "the rollout of shop from v1 to v2 is not promoted yet (RAMPING); abort it to send all traffic"
                                + " back to v1.");
        assertThat(in("PLACING").refused(OperatorAction.PROMOTE).detail())
                .isEqualTo(
                        "v2 is not placed in full yet (placing v2 beside v1: 1 of 3); it cannot take traffic before it"
                                + " is.");
        Driver promoted = in("PROMOTED");
        java.time.Instant open = promoted.state.rollbackOpenUntil();
        assertThat(promoted.refused(OperatorAction.ABORT).detail())
                .isEqualTo(
                        "v2 already takes all traffic in the rollout of shop from v1 to v2, so abort no longer applies;"
                                + " roll back with POST .../rollback until " + open + ".");
        assertThat(in("DONE").refused(OperatorAction.PROMOTE).detail())
                .startsWith("the rollout of shop from v1 to v2 is DONE (since ")
                .endsWith("); nothing can promote it any more. Start a new rollout to move again.");
    }
}
