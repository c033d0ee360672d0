package dev.weft.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.gate.GateReading;
import dev.weft.rollout.gate.Verdict;
import dev.weft.rollout.policy.Policy;
import dev.weft.rollout.policy.RandomPolicies;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Random policies, observations, operator requests, restarts and crashes: whatever happens, every move keeps
 * the rules ({@link Simulation#move} checks them) and no sequence reaches an undefined state or throws.
 */
class RolloutPropertiesTest {

    private static Policy policy(long seed) {
        return RandomPolicies.policy(new Random(seed ^ 0x5DEECE66DL), 90, seed % 4 != 0);
    }

    @Property(tries = 150)
    void noSequenceOfRequestsAndObservationsBreaksARule(@ForAll @LongRange(min = 0, max = 1_000_000_000) long seed) {
        Simulation sim = new Simulation(seed, policy(seed));
        sim.run(300);
        sim.finish();
        Statistics.label("end").collect(sim.state.phase());
        Statistics.label("cause").collect(String.valueOf(sim.state.abortCause()));
        Statistics.label("a gated step passed").collect(sim.passedWithGates);
        // the random lives must reach every ending, or the rules above were checked on too little
        Statistics.label("end").coverage(c -> {
            c.check(Phase.DONE).percentage(p -> p >= 5);
            c.check(Phase.ROLLED_BACK).percentage(p -> p >= 5);
        });
        Statistics.label("cause").coverage(c -> {
            for (AbortCause cause : List.of(
                    AbortCause.GATE_FAILED,
                    AbortCause.VERSION_VIOLATION,
                    AbortCause.PLACEMENT_FAILED,
                    AbortCause.OPERATOR_ABORT,
                    AbortCause.OPERATOR_ROLLBACK)) {
                c.check(cause.name()).count(n -> n > 0);
            }
        });
        Statistics.label("a gated step passed").coverage(c -> c.check(true).count(n -> n > 0));
        assertThat(sim.state.isFinished()).as("every rollout ends").isTrue();
        if (sim.violated) {
            assertThat(sim.state.phase()).isEqualTo(Phase.ROLLED_BACK);
        }
    }

    @Property(tries = 60)
    void anyViolationEndsInRolledBack(@ForAll @LongRange(min = 0, max = 1_000_000_000) long seed) {
        Simulation sim = new Simulation(seed, policy(seed));
        sim.run(new Random(seed).nextInt(200));
        boolean done = sim.state.phase() == Phase.DONE;
        sim.violations += 1;
        sim.tick();
        sim.finish();
        assertThat(sim.state.phase()).isEqualTo(done ? Phase.DONE : Phase.ROLLED_BACK);
    }

    @Property(tries = 60)
    void tooLittleTrafficNeverPassesAGatedStepWithTraffic(@ForAll @LongRange(min = 0, max = 1_000_000_000) long seed) {
        Simulation sim = new Simulation(seed, policy(seed));
        sim.scarce = true; // the new version serves nothing, ever
        for (int i = 0; i < 300; i++) {
            sim.tick();
        }
        for (StepRecord step : sim.state.steps()) {
            if (step.index() < sim.policy.lastStep()
                    && !sim.policy.gatesAt(step.index()).isEmpty()) {
                assertThat(step.readings()).extracting(GateReading::verdict).doesNotContain(Verdict.PASS, Verdict.FAIL);
                if (step.weightBasisPoints() > 0) {
                    assertThat(step.outcome()).isNotEqualTo(StepOutcome.PASSED);
                }
            }
        }
    }
}
