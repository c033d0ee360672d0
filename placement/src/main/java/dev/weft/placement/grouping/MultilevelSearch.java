package dev.weft.placement.grouping;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Spends the anytime budget in V-cycles: the graph is coarsened inside the current groups (heavy-edge matching of
 * members of one group, level after level), the {@link Improver} runs on the coarsest graph, where one move carries
 * a whole tightly linked cluster, and again on every finer level on the way back, with half of a level's budget
 * at each level. Clusters never straddle groups, so every level starts from the same, allowed grouping.
 */
final class MultilevelSearch {
    private static final int COARSEST = 48; // no coarser level below this many nodes
    // A level stops after this much work without a new best: what a settled search of its size spends in vain.
    private static final long MIN_PATIENCE = 1_000_000;
    private static final long PATIENCE_PER_NODE = 40_000;
    private static final int MAX_CYCLES = 64;
    private final GroupRules rules;
    private final RandomGenerator random;
    private final int cycles;
    private long work;

    MultilevelSearch(GroupRules rules, RandomGenerator random, int cycles) {
        this.rules = rules;
        this.random = random;
        this.cycles = cycles;
    }

    /** V-cycles for a budget: one per 10 million units (the default budget runs two), at least one, at most 64. */
    static int cycles(long budget) {
        return (int) Math.max(1, Math.min(64, budget / 10_000_000L));
    }

    long work() {
        return work;
    }

    /** The best grouping found from an allowed grouping start of g, never costlier than start. */
    int[] improve(Graph g, int[] start, long budget) {
        int[] current = start.clone();
        // A level that settles early leaves part of its share unspent: further V-cycles (each coarsened afresh, at
        // random, from the best so far) use it, until the budget is spent or MAX_CYCLES ran.
        long slice = budget / cycles;
        for (int c = 0; c < MAX_CYCLES && budget - work > MIN_PATIENCE; c++) {
            current = vcycle(g, current, Math.min(slice, budget - work));
        }
        return current;
    }

    private int[] vcycle(Graph g, int[] start, long budget) {
        if (g.n > COARSEST) {
            int[] clusterOf = new int[g.n];
            int clusters = match(g, start, clusterOf);
            if (clusters < 0.9 * g.n) {
                Graph coarse = g.contract(clusterOf, clusters);
                int[] coarseStart = new int[clusters];
                int[] renumber = new int[g.n];
                Arrays.fill(renumber, -1);
                int groups = 0;
                for (int v = 0; v < g.n; v++) {
                    int k = start[v];
                    if (renumber[k] < 0) {
                        renumber[k] = groups++;
                    }
                    coarseStart[clusterOf[v]] = renumber[k];
                }
                int[] coarseBest = vcycle(coarse, coarseStart, budget / 2);
                int[] lifted = new int[g.n];
                for (int v = 0; v < g.n; v++) {
                    lifted[v] = coarseBest[clusterOf[v]];
                }
                return flat(g, lifted, budget - budget / 2);
            }
        }
        return flat(g, start, budget);
    }

    private int[] flat(Graph g, int[] start, long budget) {
        if (g.n < 2 || budget <= 0) {
            return start;
        }
        Improver improver = new Improver(new Partition(g, rules, start), random, budget);
        int[] best = improver.run(Math.max(MIN_PATIENCE, PATIENCE_PER_NODE * g.n));
        work += improver.work();
        return Groupings.cost(g, rules, best) < Groupings.cost(g, rules, start) ? best : start;
    }

    /** Heavy-edge matching of nodes in the same group, in random order; returns the number of clusters. */
    private int match(Graph g, int[] groupOf, int[] clusterOf) {
        int n = g.n;
        Arrays.fill(clusterOf, -1);
        int[] order = new int[n];
        for (int v = 0; v < n; v++) {
            order[v] = v;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int clusters = 0;
        for (int v : order) {
            if (clusterOf[v] >= 0) {
                continue;
            }
            int partner = -1;
            double best = 0;
            for (int e = g.adjStart[v]; e < g.adjStart[v + 1]; e++) {
                int u = g.adjNode[e];
                if (clusterOf[u] < 0 && groupOf[u] == groupOf[v] && g.adjW[e] > best) {
                    best = g.adjW[e];
                    partner = u;
                }
            }
            clusterOf[v] = clusters;
            if (partner >= 0) {
                clusterOf[partner] = clusters;
            }
            clusters++;
        }
        work += g.adjStart[n];
        return clusters;
    }
}
