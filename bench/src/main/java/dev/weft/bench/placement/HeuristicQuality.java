package dev.weft.bench.placement;

import dev.weft.placement.grouping.AgentLimits;
import dev.weft.placement.grouping.ExactGrouper;
import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.grouping.Groupings;
import dev.weft.placement.grouping.HeuristicGrouper;
import dev.weft.placement.model.Problem;
import java.util.SplittableRandom;

/**
 * The heuristic alone against the proven optimum on many bench-style instances small enough to enumerate, so the
 * quality claim rests on more than one row of the main table.
 */
final class HeuristicQuality {
    private HeuristicQuality() {}

    static void run(int instances) {
        int proven = 0;
        int exactHits = 0;
        double sumGap = 0;
        double worst = 0;
        long heuristicNanos = 0;
        for (int i = 0; i < instances; i++) {
            int n = 10 + i % 11; // 10..20 components
            Problem p = BenchProblems.generate(9_000L + i, n, 3 * n, 100);
            Graph g = Graph.of(p, true);
            GroupRules rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
            ExactGrouper.Result exact = ExactGrouper.solve(g, rules, null, 5_000_000L);
            if (!exact.proven() || exact.groupOf() == null) {
                continue;
            }
            long t0 = System.nanoTime();
            int[] h = new HeuristicGrouper(rules, new SplittableRandom(i), HeuristicGrouper.defaultRestarts(g.size()))
                    .solve(g);
            heuristicNanos += System.nanoTime() - t0;
            double gap = Groupings.cost(g, rules, h) / exact.cost() - 1;
            proven++;
            sumGap += gap;
            worst = Math.max(worst, gap);
            if (gap <= 1e-9) {
                exactHits++;
            }
        }
        System.out.printf(
                "| %d | %d | %d | %.4f%% | %.4f%% | %.1f |%n",
                instances,
                proven,
                exactHits,
                proven == 0 ? 0 : 100 * sumGap / proven,
                100 * worst,
                proven == 0 ? 0 : heuristicNanos / 1e6 / proven);
    }
}
