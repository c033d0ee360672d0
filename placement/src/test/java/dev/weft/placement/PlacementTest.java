package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Preference;
import dev.weft.placement.model.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Replica placement: zones, pins, packing versus spreading. */
class PlacementTest {

    private static Plan plan(Problem p) {
        return ((PlanResult.Feasible) new Planner().plan(p)).plan();
    }

    @Test
    void replicasOfAGroupSpreadOverZonesWithSkewAtMostOne() {
        // 7 replicas over 3 zones: 3/2/2, never 4/2/1.
        List<Component> comps = List.of(new Component("a", 0.1, 0.5, 7, 7));
        Problem p = new Problem(
                comps, List.of(), Constraints.NONE, Problems.agents(30, 3, 8, 32), null, CostModel.DEFAULTS);
        Map<String, Integer> perZone = new HashMap<>();
        Map<String, String> zoneOf = new HashMap<>();
        p.agents().forEach(a -> zoneOf.put(a.id(), a.zone()));
        plan(p).groups().get(0).agents().forEach(a -> perZone.merge(zoneOf.get(a), 1, Integer::sum));
        assertThat(perZone.values()).containsExactlyInAnyOrder(3, 2, 2);
    }

    @Test
    void pinnedComponentsRunOnlyOnAgentsWithTheLabel() {
        List<Component> comps = List.of(new Component("db-proxy", 0.5, 1, 2, 4), Component.of("web", 0.5, 1));
        Problem p = new Problem(
                comps,
                List.of(),
                new Constraints(List.of(), List.of(), Map.of("db-proxy", "ssd")),
                Problems.agents(12, 2, 8, 32),
                null,
                CostModel.DEFAULTS);
        Plan plan = plan(p);
        PlannedGroup g = plan.groups().stream()
                .filter(x -> x.components().contains("db-proxy"))
                .findFirst()
                .orElseThrow();
        Map<String, Agent> byId = new HashMap<>();
        p.agents().forEach(a -> byId.put(a.id(), a));
        assertThat(g.agents())
                .hasSize(2)
                .allSatisfy(a -> assertThat(byId.get(a).labels()).contains("ssd"));
    }

    @Test
    void packFillsFewAgentsWhileSpreadUsesMany() {
        List<Component> comps = new ArrayList<>();
        List<dev.weft.placement.model.Separation> apart = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            comps.add(Component.of("c" + i, 0.2, 1));
            for (int j = 0; j < i; j++) {
                apart.add(new dev.weft.placement.model.Separation("c" + i, "c" + j)); // 8 separate processes
            }
        }
        List<Agent> agents = Problems.agents(16, 1, 8, 32);
        Constraints c = new Constraints(List.of(), apart, Map.of());
        Problem pack =
                new Problem(comps, List.of(), c, agents, null, CostModel.DEFAULTS.withPreference(Preference.PACK));
        Problem spread = pack.withCostModel(CostModel.DEFAULTS.withPreference(Preference.SPREAD));
        long packAgents = plan(pack).groups().stream()
                .flatMap(g -> g.agents().stream())
                .distinct()
                .count();
        long spreadAgents = plan(spread).groups().stream()
                .flatMap(g -> g.agents().stream())
                .distinct()
                .count();
        assertThat(packAgents).isEqualTo(1);
        assertThat(spreadAgents).isEqualTo(8);
    }

    @Test
    void capacityAlreadyUsedOnAnAgentIsRespected() {
        List<Component> comps = List.of(new Component("a", 0.1, 3, 2, 2));
        List<Agent> agents = List.of(
                new Agent("full", "z", Set.of(), 8, 32, 0, 30),
                new Agent("x", "z", Set.of(), 8, 32, 0, 0),
                new Agent("y", "z", Set.of(), 8, 32, 0, 0));
        Problem p = new Problem(comps, List.of(), Constraints.NONE, agents, null, CostModel.DEFAULTS);
        assertThat(plan(p).groups().get(0).agents()).containsExactlyInAnyOrder("x", "y");
    }

    @Test
    void aGroupWhoseReplicasFitOnlyOneBigAgentIsNotFormed() {
        // Together a and b save a heavy edge, but one process needs 2 replicas of 12.25 GiB and only one agent has
        // that much free; apart, each needs 2 replicas of 6.25 GiB, which the 10 GiB agents hold.
        List<Agent> agents = List.of(
                new Agent("big", "z1", Set.of(), 16, 32, 0, 0),
                new Agent("m1", "z1", Set.of(), 16, 10, 0, 0),
                new Agent("m2", "z2", Set.of(), 16, 10, 0, 0),
                new Agent("m3", "z2", Set.of(), 16, 10, 0, 0));
        Problem p = new Problem(
                List.of(new Component("a", 0.1, 6, 2, 4), new Component("b", 0.1, 6, 2, 4)),
                List.of(new dev.weft.placement.model.Edge("a", "b", 20_000, 2e7)),
                Constraints.NONE,
                agents,
                null,
                CostModel.DEFAULTS);
        Plan plan = plan(p);
        assertThat(plan.solver())
                .as("the solver itself avoids it, no fallback needed")
                .isEqualTo("exact");
        assertThat(plan.groups()).hasSize(2);
        assertThat(plan.explanations())
                .anySatisfy(x -> assertThat(x.cut())
                        .anySatisfy(n -> assertThat(n.why()).contains("at most 1 agents have that much free")));
    }
}
