package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.PreviousPlan;
import dev.weft.placement.model.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A running grouping survives re-planning unless the better one found beats it by more than the margin. */
class RegroupMarginTest {

    /**
     * Two light, memory-heavy components running apart. Sharing a process saves one process overhead
     * (0.1 core and 0.25 GiB: $0.00295/h) of $0.312/h, i.e. 0.95 %: below a 1 % margin, above 0.
     */
    private static Problem runningApart() {
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            agents.add(new Agent("big" + i, "z" + i, Set.of(), 16, 128, 0, 0));
        }
        return new Problem(
                List.of(Component.of("a", 0.1, 50), Component.of("b", 0.1, 50)),
                List.of(),
                Constraints.NONE,
                agents,
                new PreviousPlan(List.of(
                        new PreviousPlan.Group(Set.of("a"), List.of("big0")),
                        new PreviousPlan.Group(Set.of("b"), List.of("big1")))),
                CostModel.DEFAULTS);
    }

    @Test
    void aGainWithinTheMarginKeepsTheRunningGroupingAndEveryReplica() {
        Plan plan = ((PlanResult.Feasible) new Planner().plan(runningApart())).plan();
        assertThat(plan.solver()).isEqualTo("previous");
        assertThat(plan.groups()).hasSize(2);
        assertThat(plan.diff()).isEqualTo(new PlanDiff(0, 0, 0, 2, List.of(), List.of()));
    }

    @Test
    void withoutAMarginTheCheaperGroupingWins() {
        Plan plan = ((PlanResult.Feasible)
                        new Planner(PlannerOptions.DEFAULTS.withRegroupMargin(0)).plan(runningApart()))
                .plan();
        assertThat(plan.solver()).isEqualTo("exact");
        assertThat(plan.groups())
                .singleElement()
                .satisfies(g -> assertThat(g.components()).containsExactly("a", "b"));
        assertThat(plan.diff().regrouped()).containsExactly("a", "b");
    }
}
