package dev.weft.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.policy.Presets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A control plane killed mid-rollout (or a failover) resumes from the persisted state and its clock alone. */
class RestartTest {

    private static Driver twoMinutesIntoTheFirstStep() {
        Driver d = new Driver(Presets.named("canary").orElseThrow());
        d.tick(Duration.ofSeconds(1), Driver.placed());
        d.run(Duration.ofMinutes(2), Driver::healthy);
        assertThat(d.state.remainingHold()).isEqualTo(Duration.ofMinutes(3));
        return d;
    }

    @Test
    void aNewLeaderResumesTheSameStepWithTheSameRemainingHold() {
        Driver old = twoMinutesIntoTheFirstStep();
        RolloutState persisted = old.state;
        int pushesBefore = old.pushes().size();

        Driver next = new Driver(old.policy);
        next.clock.set(old.now().plus(Duration.ofMinutes(1))); // down for a minute
        Transition takenOver = next.rollouts.takeOver(persisted, next.policy);
        assertThat(takenOver.actions()).isEmpty();
        assertThat(takenOver.events()).isEmpty();
        next.state = takenOver.state();
        assertThat(next.state.step()).isZero();
        assertThat(next.state.remainingHold()).isEqualTo(Duration.ofMinutes(3));

        next.run(Duration.ofSeconds(179), Driver::healthy);
        assertThat(next.state.step()).isZero();
        next.tick(Duration.ofSeconds(1), Driver::healthy);
        assertThat(next.state.step()).isEqualTo(1);
        assertThat(next.pushes()).as("only the next step's weight, pushed once").hasSize(1);
        assertThat(pushesBefore).isEqualTo(1);
    }

    @Test
    void withoutATakeOverAtMostTheCountedGapOfTheOutageCounts() {
        Driver old = twoMinutesIntoTheFirstStep();
        Driver next = new Driver(old.policy);
        next.state = old.state;
        next.clock.set(old.now().plus(Duration.ofMinutes(10)));
        next.advance(next.healthy());
        assertThat(next.state.step()).isZero();
        assertThat(next.state.remainingHold()).isEqualTo(Duration.ofSeconds(175));
    }

    @Test
    void aCrashBeforeTheCommitRepeatsTheSameDecisionNotAnother() {
        Driver d = twoMinutesIntoTheFirstStep();
        d.run(Duration.ofSeconds(179), Driver::healthy);
        RolloutState committed = d.state;
        d.clock.advance(Duration.ofSeconds(1));
        Observation observed = d.load(20, 0.001, 50);
        Transition first = d.rollouts.advance(committed, d.policy, observed);
        assertThat(first.state().step()).isEqualTo(1);

        // the process died before the transaction committed: the database still holds `committed`
        Driver next = new Driver(d.policy);
        next.clock.set(d.now());
        Transition again = next.rollouts.advance(committed, d.policy, observed);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void aCrashAfterTheCommitChangesNothingOnTheRepeat() {
        Driver d = twoMinutesIntoTheFirstStep();
        d.run(Duration.ofSeconds(180), Driver::healthy);
        assertThat(d.state.step()).isEqualTo(1);
        Transition repeat = d.rollouts.advance(d.state, d.policy, d.healthy());
        assertThat(repeat.changed()).isFalse();
        assertThat(repeat.actions()).isEmpty();
    }

    @Test
    void aLeaderWhoseClockIsBehindNeitherGoesBackInTimeNorLosesHold() {
        Driver old = twoMinutesIntoTheFirstStep();
        Driver next = new Driver(old.policy);
        next.state = old.state;
        next.clock.set(old.now().minusSeconds(3));
        Transition t = next.advance(Driver.placed());
        assertThat(t.state().lastAdvanceAt()).isEqualTo(old.state.lastAdvanceAt());
        assertThat(t.state().remainingHold()).isEqualTo(Duration.ofMinutes(3));
    }
}
