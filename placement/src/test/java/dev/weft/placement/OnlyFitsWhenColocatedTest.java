package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.grouping.AgentLimits;
import dev.weft.placement.grouping.ExactGrouper;
import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * Cpu per replica is not monotone in a group's cpu: more work can mean one more replica and a smaller share each.
 * A component too big for every agent alone can fit once colocated with others, so neither the precheck nor the
 * solvers may give up on it.
 */
class OnlyFitsWhenColocatedTest {

    /** Agents with {@code cpu} cores free and plenty of memory, over three zones. */
    private static List<Agent> agents(int count, double cpu) {
        List<Agent> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Agent(String.format("a%02d", i), "z" + (i % 3), Set.of(), cpu, 16, 0, 0));
        }
        return out;
    }

    private static Plan feasible(Problem p) {
        return switch (new Planner().plan(p)) {
            case PlanResult.Feasible f -> f.plan();
            case PlanResult.Infeasible i -> throw new AssertionError("expected a plan, got " + i.reasons());
        };
    }

    private static PlannedGroup groupOf(Plan plan, String component) {
        return plan.groups().stream()
                .filter(g -> g.components().contains(component))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aComponentTooBigAloneIsPlacedWithAPartnerByTheExactSearch() {
        // a alone: 1 replica of 0.1 + 1.0/0.7 = 1.529 cores > 1.5. With b: 1.5 cores of work -> 2 replicas of
        // 0.1 + 1.5/1.4 = 1.171 cores each, which fit.
        Problem p = new Problem(
                List.of(Component.of("a", 1.0, 0.5), Component.of("b", 0.5, 0.5)),
                List.of(),
                Constraints.NONE,
                agents(3, 1.5),
                null,
                CostModel.DEFAULTS);
        Plan plan = feasible(p);
        assertThat(plan.solver()).isEqualTo("exact");
        assertThat(plan.provenOptimal()).isTrue();
        assertThat(groupOf(plan, "a").components()).containsExactly("a", "b");
        assertThat(groupOf(plan, "a").replicas()).isEqualTo(2);
        assertThat(PlanChecker.violations(p, plan, true)).isEmpty();
    }

    /** 24 components (more than the exact limit); only "big" is too large alone, and no edge pulls it anywhere. */
    static Problem largeInstance(long seed) {
        Random r = new Random(seed);
        List<Component> comps = new ArrayList<>();
        comps.add(Component.of("big", 1.0, 0.5));
        List<Edge> edges = new ArrayList<>();
        for (int i = 1; i < 24; i++) {
            comps.add(Component.of("c" + i, 0.05 + 0.25 * r.nextDouble(), 0.2 + 0.3 * r.nextDouble()));
            if (i > 1) {
                int j = 1 + r.nextInt(i - 1);
                edges.add(new Edge("c" + i, "c" + j, 100 + 2000 * r.nextDouble(), 1e5));
            }
        }
        return new Problem(comps, edges, Constraints.NONE, agents(30, 1.5), null, CostModel.DEFAULTS);
    }

    @Test
    void theHeuristicRepairsAGroupThatOnlyFitsWhenColocated() {
        for (long seed = 1; seed <= 5; seed++) {
            Problem p = largeInstance(seed);
            assertThat(Graph.of(p, true).size()).isGreaterThan(PlannerOptions.DEFAULTS.exactLimit());
            Plan plan = feasible(p);
            assertThat(plan.solver()).as("seed %d", seed).isEqualTo("heuristic");
            assertThat(groupOf(plan, "big").components()).as("seed %d", seed).hasSizeGreaterThan(1);
            assertThat(PlanChecker.violations(p, plan, true))
                    .as("seed %d", seed)
                    .isEmpty();
        }
    }

    @Test
    void aComponentNoGroupingCanHostIsStillReportedWithTheBound() {
        // On 1.05-core agents one replica of a group holding c (0.9 cores of work) needs 0.1 + 0.9/0.7 = 1.386 cores
        // at 1 replica, and with 2 or more replicas more than 1.4 cores of work, so at least 0.1 + 1.0 cores each.
        Problem p = new Problem(
                List.of(Component.of("c", 0.9, 0.5), Component.of("d", 0.5, 0.5)),
                List.of(),
                Constraints.NONE,
                agents(6, 1.05),
                null,
                CostModel.DEFAULTS);
        PlanResult.Infeasible result = (PlanResult.Infeasible) new Planner().plan(p);
        assertThat(result.reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.code()).isEqualTo(ReasonCode.EXCEEDS_LARGEST_AGENT);
            assertThat(reason.subject()).isEqualTo("component c");
            assertThat(reason.message())
                    .contains("at least 1.100 cores")
                    .contains("1.386 cores")
                    .contains("1.050 cores free");
        });
    }

    /**
     * The precheck is a sound bound: whenever it says a component or must-share set exceeds every agent, trying
     * every grouping (the exact search, unlimited) finds none either.
     */
    @Property(tries = 200)
    void theCpuPrecheckNeverRulesOutAProblemThatHasAGrouping(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll @IntRange(min = 1, max = 7) int size) {
        double free = 0.6 + (seed % 25) * 0.1; // 0.6 .. 3.0 cores free: around the sizes of random components
        Problem p = Problems.random(seed, size, true).withAgents(agents(8, free));
        if (new Planner().plan(p) instanceof PlanResult.Infeasible i
                && i.reasons().stream().anyMatch(x -> x.code() == ReasonCode.EXCEEDS_LARGEST_AGENT)) {
            Graph g = Graph.of(p, true);
            GroupRules rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
            ExactGrouper.Result exact = ExactGrouper.solve(g, rules, null, Long.MAX_VALUE);
            assertThat(exact.groupOf())
                    .as("a grouping exists although the precheck said %s", i.reasons())
                    .isNull();
        }
    }
}
