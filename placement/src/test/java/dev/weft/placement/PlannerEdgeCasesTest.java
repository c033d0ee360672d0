package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.PreviousPlan;
import dev.weft.placement.model.Problem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Degenerate inputs the scheduler will meet: nothing to place, one component, a stale previous plan. */
class PlannerEdgeCasesTest {

    @Test
    void aVersionWithoutComponentsGetsAnEmptyPlan() {
        Problem p = new Problem(
                List.of(), List.of(), Constraints.NONE, Problems.agents(3, 3, 8, 32), null, CostModel.DEFAULTS);
        Plan plan = ((PlanResult.Feasible) new Planner().plan(p)).plan();
        assertThat(plan.groups()).isEmpty();
        assertThat(plan.score().costPerHour()).isZero();
    }

    @Test
    void selfCallsCostNothing() {
        Problem p = new Problem(
                List.of(Component.of("a", 1, 1)),
                List.of(new Edge("a", "a", 1e6, 1e9)),
                Constraints.NONE,
                Problems.agents(3, 3, 8, 32),
                null,
                CostModel.DEFAULTS);
        Plan plan = ((PlanResult.Feasible) new Planner().plan(p)).plan();
        assertThat(plan.score().remoteCallCores()).isZero();
        // 1 core of work -> 1 replica: 0.1 + 1/0.7 cores, 0.25 + 1 GiB.
        assertThat(plan.score().costPerHour())
                .isCloseTo(0.022 * (0.1 + 1 / 0.7) + 0.003 * 1.25, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void aPreviousPlanNamingVanishedAgentsAndComponentsIsToleratedAndDiffed() {
        Problem p = new Problem(
                List.of(Component.of("a", 0.5, 1), Component.of("b", 0.5, 1)),
                List.of(new Edge("a", "b", 10_000, 1e7)),
                Constraints.NONE,
                Problems.agents(6, 3, 8, 32),
                new PreviousPlan(
                        List.of(new PreviousPlan.Group(Set.of("a", "gone"), List.of("a000", "no-such-agent")))),
                CostModel.DEFAULTS);
        Plan plan = ((PlanResult.Feasible) new Planner().plan(p)).plan();
        assertThat(plan.groups()).singleElement().satisfies(g -> {
            assertThat(g.components()).containsExactly("a", "b");
            assertThat(g.agents()).contains("a000");
        });
        assertThat(plan.diff().unchanged()).isEqualTo(1);
        assertThat(plan.diff().regrouped()).containsExactly("a", "b");
    }

    @Test
    void agentsWithoutFreeCapacityAreNotUsed() {
        List<Agent> agents =
                List.of(new Agent("full", "z", Set.of(), 8, 32, 8, 32), new Agent("free", "z", Set.of(), 8, 32, 0, 0));
        Problem p = new Problem(
                List.of(Component.of("a", 0.5, 1)), List.of(), Constraints.NONE, agents, null, CostModel.DEFAULTS);
        Plan plan = ((PlanResult.Feasible) new Planner().plan(p)).plan();
        assertThat(plan.groups().get(0).agents()).containsExactly("free");
    }

    @Test
    void aPlanIsLabelledExactOnlyWhenTheSearchProvedIt() {
        Problem p = Problems.random(1, 14, true);
        Plan proven = ((PlanResult.Feasible) new Planner().plan(p)).plan();
        assertThat(proven.solver()).isEqualTo("exact");
        assertThat(proven.provenOptimal()).isTrue();

        // Ten search nodes are far too few to enumerate (or bound away) the groupings of fourteen components.
        PlannerOptions starved = new PlannerOptions(42L, 16, 10, -1, 0.01);
        Plan cut = ((PlanResult.Feasible) new Planner(starved).plan(p)).plan();
        assertThat(cut.solver()).isEqualTo("heuristic+exact-partial");
        assertThat(cut.provenOptimal()).isFalse();
    }
}
