package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.PreviousPlan;
import dev.weft.placement.model.Problem;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scheduler re-plans only when the new plan beats what runs now, priced at today's load. */
class HysteresisTest {
    private static Problem chatty(PreviousPlan previous) {
        return new Problem(
                List.of(Component.of("a", 0.5, 0.5), Component.of("b", 0.5, 0.5)),
                List.of(new Edge("a", "b", 20_000, 2e7)),
                Constraints.NONE,
                Problems.agents(6, 3, 8, 32),
                previous,
                CostModel.DEFAULTS);
    }

    @Test
    void theRunningGroupingIsPricedAtTodaysLoad() {
        Problem split = chatty(new PreviousPlan(List.of(
                new PreviousPlan.Group(Set.of("a"), List.of("a000")),
                new PreviousPlan.Group(Set.of("b"), List.of("a001")))));
        Plan plan = ((PlanResult.Feasible) new Planner().plan(split)).plan();
        OptionalDouble running = new Planner().costOfPrevious(split);

        // Apart, 20k calls/s burn 1.04 cores; together they are free: the new plan is worth the move.
        assertThat(running.getAsDouble())
                .isCloseTo(plan.baselines().onePerProcess().costPerHour(), within(1e-12));
        assertThat(new Hysteresis(0.05).beats(plan, running)).isTrue();
    }

    @Test
    void anEquallyGoodPlanDoesNotReplaceTheRunningOne() {
        Problem together = chatty(new PreviousPlan(List.of(new PreviousPlan.Group(Set.of("a", "b"), List.of("a000")))));
        Plan plan = ((PlanResult.Feasible) new Planner().plan(together)).plan();
        assertThat(new Planner().costOfPrevious(together).getAsDouble())
                .isCloseTo(plan.score().costPerHour(), within(1e-12));
        assertThat(new Hysteresis(0.05).beats(plan, new Planner().costOfPrevious(together)))
                .isFalse();
        assertThat(new Hysteresis(0.05).beats(plan, OptionalDouble.empty())).isTrue();
    }
}
