package dev.weft.placement.grouping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.placement.Problems;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The anytime search (Improver in V-cycles): it only ever holds allowed groupings, never returns a costlier one than
 * it started from, keeps its incremental bookkeeping exact through thousands of kicks and undos, stays within its
 * work budget, and finds the bin-packing moves that fill half-empty replicas.
 */
class AnytimeSearchTest {

    @Property(tries = 40)
    void theSearchKeepsEveryLimitAndItsBookkeepingExact(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll @IntRange(min = 2, max = 120) int size) {
        Problem problem = TestProblems.random(seed, size, true);
        Graph g = Graph.of(problem, true);
        GroupRules rules = new GroupRules(problem.costModel(), new AgentLimits(problem.agents()));
        int[] start = new HeuristicGrouper(rules, new SplittableRandom(seed), 0).solve(g);
        Assume.that(g.n >= 2 && Groupings.feasible(g, rules, start));
        Improver improver = new Improver(new Partition(g, rules, start), new SplittableRandom(seed), 300_000);
        int[] best = improver.run(Long.MAX_VALUE);

        assertThat(Groupings.feasible(g, rules, best))
                .as(Groupings.violations(g, rules, best).toString())
                .isTrue();
        assertThat(Groupings.cost(g, rules, best)).isLessThanOrEqualTo(Groupings.cost(g, rules, start) + 1e-9);
        // The grouping it ends on (after the last kick was kept or undone) is priced exactly and filed correctly.
        Partition p = improver.partition();
        assertThat(p.total).isCloseTo(Groupings.cost(g, rules, p.snapshot()), within(1e-9));
        assertThat(Groupings.feasible(g, rules, p.snapshot())).isTrue();
        PartitionPropertiesTest.assertBoundsMatchTheMembers(g, p);
        assertThat(p.spareIndex().consistent()).isTrue();
        // One kick and its descent can run past the budget, never by more than a bounded amount.
        assertThat(improver.work()).isLessThan(300_000 + 50_000L * Math.max(1, g.edgeCount() + g.n));
    }

    @Property(tries = 20)
    void theSameSeedAndBudgetGiveTheSameGrouping(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll @IntRange(min = 17, max = 150) int size) {
        Problem problem = TestProblems.random(seed, size, true);
        Graph g = Graph.of(problem, true);
        GroupRules rules = new GroupRules(problem.costModel(), new AgentLimits(problem.agents()));
        int[] a = new HeuristicGrouper(rules, new SplittableRandom(seed), 1, 500_000).solve(g);
        int[] b = new HeuristicGrouper(rules, new SplittableRandom(seed), 1, 500_000).solve(g);
        assertThat(a).isEqualTo(b);
    }

    /**
     * A recombination V-cycle of two different allowed groupings (two seeds' heuristics) keeps every limit and never
     * returns a grouping costlier than the better parent, though its coarse levels mix fragments of both.
     */
    @Property(tries = 30)
    void recombiningTwoGroupingsKeepsEveryLimitAndTheBetterCost(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll @IntRange(min = 50, max = 160) int size) {
        Problem problem = TestProblems.random(seed, size, true);
        Graph g = Graph.of(problem, true);
        GroupRules rules = new GroupRules(problem.costModel(), new AgentLimits(problem.agents()));
        int[] x = new HeuristicGrouper(rules, new SplittableRandom(seed), 0).solve(g);
        int[] y = new HeuristicGrouper(rules, new SplittableRandom(seed + 1), 1, 200_000).solve(g);
        Assume.that(Groupings.feasible(g, rules, x) && Groupings.feasible(g, rules, y));
        boolean xBetter = Groupings.cost(g, rules, x) <= Groupings.cost(g, rules, y);
        int[] better = xBetter ? x : y;
        int[] worse = xBetter ? y : x;
        int[] child = new MultilevelSearch(rules, new SplittableRandom(seed), 1).recombine(g, better, worse, 400_000);

        assertThat(Groupings.feasible(g, rules, child))
                .as(Groupings.violations(g, rules, child).toString())
                .isTrue();
        assertThat(Groupings.cost(g, rules, child)).isLessThanOrEqualTo(Groupings.cost(g, rules, better) + 1e-9);
    }

    /**
     * With a budget large enough for the recombining chains (at least {@code CHAINS_FROM}), the search still keeps
     * every limit, never returns a costlier grouping than its start, and repeats itself exactly for the same seed.
     */
    @Property(tries = 6)
    void theChainsAndTheirRecombinationKeepLimitsCostAndDeterminism(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll @IntRange(min = 60, max = 140) int size) {
        Problem problem = TestProblems.random(seed, size, true);
        Graph g = Graph.of(problem, true);
        GroupRules rules = new GroupRules(problem.costModel(), new AgentLimits(problem.agents()));
        int[] start = new HeuristicGrouper(rules, new SplittableRandom(seed), 0).solve(g);
        Assume.that(Groupings.feasible(g, rules, start));
        long budget = MultilevelSearch.CHAINS_FROM;
        MultilevelSearch search =
                new MultilevelSearch(rules, new SplittableRandom(seed), MultilevelSearch.cycles(budget));
        int[] best = search.improve(g, start, budget);
        int[] again = new MultilevelSearch(rules, new SplittableRandom(seed), MultilevelSearch.cycles(budget))
                .improve(g, start, budget);

        assertThat(Groupings.feasible(g, rules, best))
                .as(Groupings.violations(g, rules, best).toString())
                .isTrue();
        assertThat(Groupings.cost(g, rules, best)).isLessThanOrEqualTo(Groupings.cost(g, rules, start) + 1e-9);
        assertThat(again).isEqualTo(best);
        // Chains, recombinations and polish share one budget; a level can overrun it by one kick's work at most.
        assertThat(search.work()).isLessThan(budget + 200_000L * Math.max(1, g.edgeCount() + g.n));
    }

    /**
     * 400 components of 0.35 cores and no calls: four fill one replica (1.4 cores at the default 2 cores × 70 %), so
     * the optimum is 100 full one-replica groups. Merging and moving by the edges alone (there are none) cannot get
     * there (without the search the heuristic ends at 118 replicas); the search's best-fit moves must.
     */
    @Test
    void componentsWithoutCallsArePackedIntoFullReplicas() {
        List<Component> comps = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            comps.add(Component.of("c" + i, 0.35, 0.2 + 0.01 * (i % 7)));
        }
        Problem p = new Problem(
                comps, List.of(), Constraints.NONE, Problems.agents(24, 3, 16, 64), null, CostModel.DEFAULTS);
        Graph g = Graph.of(p, true);
        GroupRules rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
        int[] grouping = new HeuristicGrouper(rules, new SplittableRandom(1), 1, 2_000_000).solve(g);
        Groupings.Totals t = Groupings.totals(g, grouping);
        int replicas = 0;
        for (int k = 0; k < t.groups(); k++) {
            replicas += p.costModel().replicas(t.cpu()[k], t.maxMin()[k], t.minMax()[k]);
        }
        assertThat(replicas).isEqualTo(100);
        assertThat(t.groups()).isEqualTo(100);
    }
}
