package dev.weft.placement.grouping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.placement.model.Problem;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The heuristic trusts incremental per-group aggregates (a move costs O(degree)); after any sequence of moves and
 * merges they must equal a from-scratch evaluation, and every predicted delta must be the real change.
 */
class PartitionPropertiesTest {

    @Property(tries = 100)
    void incrementalAggregatesMatchAFullRecomputation(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll @IntRange(min = 2, max = 40) int size) {
        Problem problem = TestProblems.random(seed, size, true);
        Graph g = Graph.of(problem, true);
        GroupRules rules = new GroupRules(problem.costModel(), new AgentLimits(problem.agents()));
        Partition p = new Partition(g, rules, Partition.singletons(g.n));
        boolean startFeasible = Groupings.feasible(g, rules, Partition.singletons(g.n));
        SplittableRandom r = new SplittableRandom(seed);
        for (int step = 0; step < 200; step++) {
            double before = p.total;
            if (r.nextBoolean()) {
                int v = r.nextInt(g.n);
                int b = r.nextInt(5) == 0 && p.peekFree() >= 0 ? p.peekFree() : p.groupOf[r.nextInt(g.n)];
                p.collect(v);
                double predicted = p.moveDelta(v, b);
                if (!Double.isNaN(predicted)) {
                    p.move(v, b);
                    assertThat(p.total - before).isCloseTo(predicted, within(1e-9));
                }
                p.clearCollected();
            } else {
                int a = p.groupOf[r.nextInt(g.n)];
                int b = p.groupOf[r.nextInt(g.n)];
                if (a != b) {
                    double w = 0;
                    for (int u = 0; u < g.n; u++) {
                        for (int i = g.adjStart[u]; i < g.adjStart[u + 1]; i++) {
                            if (p.groupOf[u] == a && p.groupOf[g.adjNode[i]] == b) {
                                w += g.adjW[i];
                            }
                        }
                    }
                    double predicted = p.mergeDelta(a, b, w);
                    if (!Double.isNaN(predicted)) {
                        p.merge(a, b, w);
                        assertThat(p.total - before).isCloseTo(predicted, within(1e-9));
                    }
                }
            }
        }
        assertThat(p.total).isCloseTo(Groupings.cost(g, rules, p.snapshot()), within(1e-9));
        assertBoundsMatchTheMembers(g, p);
        if (startFeasible) {
            // moveDelta and mergeDelta refuse every step that would break a limit
            assertThat(Groupings.feasible(g, rules, p.snapshot())).isTrue();
        }
    }

    /** Replica bounds per group, and how many members attain each, equal a count over the members. */
    static void assertBoundsMatchTheMembers(Graph g, Partition p) {
        for (int k = 0; k < g.n; k++) {
            if (p.count[k] == 0) {
                continue;
            }
            int mn = 0;
            int mx = Integer.MAX_VALUE;
            for (int v = 0; v < g.n; v++) {
                if (p.groupOf[v] == k) {
                    mn = Math.max(mn, g.maxMin[v]);
                    mx = Math.min(mx, g.minMax[v]);
                }
            }
            int atMin = 0;
            int atMax = 0;
            for (int v = 0; v < g.n; v++) {
                if (p.groupOf[v] == k) {
                    atMin += g.maxMin[v] == mn ? 1 : 0;
                    atMax += g.minMax[v] == mx ? 1 : 0;
                }
            }
            assertThat(new int[] {p.maxMin[k], p.minMax[k], p.atMin[k], p.atMax[k]})
                    .as("bounds of group %d", k)
                    .containsExactly(mn, mx, atMin, atMax);
        }
    }

    @Property(tries = 60)
    void anFmPassNeverLeavesAWorseOrInvalidGrouping(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll @IntRange(min = 2, max = 120) int size) {
        Problem problem = TestProblems.random(seed, size, true);
        Graph g = Graph.of(problem, true);
        GroupRules rules = new GroupRules(problem.costModel(), new AgentLimits(problem.agents()));
        net.jqwik.api.Assume.that(Groupings.feasible(g, rules, Partition.singletons(g.n)));
        Partition p = new Partition(g, rules, Partition.singletons(g.n));
        double before = p.total;
        boolean improved = FmPass.run(p);

        assertThat(p.total).isLessThanOrEqualTo(before + 1e-9);
        assertThat(improved).isEqualTo(p.total < before - 1e-12 * Math.max(1, before));
        assertThat(p.total).isCloseTo(Groupings.cost(g, rules, p.snapshot()), within(1e-9));
        assertThat(Groupings.feasible(g, rules, p.snapshot())).isTrue();
    }
}
