package dev.weft.placement.grouping;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

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
    // Recombination (see improve): four chains of 70 % of the budget in all, three recombinations of 10 % each
    // (nothing is left to polish); smaller budgets run one chain. A chain with MIN_PATIENCE or less of its part
    // never starts a V-cycle, so chains begin where each part is twice that (about 11.4 million units).
    static final int CHAINS = 4;
    static final double CHAINS_SHARE = 0.7;
    static final double COMBINE_SHARE = 0.1;
    static final long CHAINS_FROM = (long) (2 * MIN_PATIENCE * CHAINS / CHAINS_SHARE);
    private final GroupRules rules;
    private final RandomGenerator random;
    private final int cycles;
    private long work;

    MultilevelSearch(GroupRules rules, RandomGenerator random, int cycles) {
        this.rules = rules;
        this.random = random;
        this.cycles = cycles;
    }

    /** V-cycles for a budget: one per 5 million units (the default budget runs ten), at least one, at most 64. */
    static int cycles(long budget) {
        return (int) Math.max(1, Math.min(64, budget / 5_000_000L));
    }

    long work() {
        return work;
    }

    /**
     * The best grouping found from an allowed grouping start of g, never costlier than start.
     *
     * <p>With a budget of at least {@link #CHAINS_FROM} units the search runs {@link #CHAINS} independent chains of
     * V-cycles from start ({@link #CHAINS_SHARE} of the budget in all, each with its own part of the random stream), and
     * recombines their results as they come: a V-cycle from the cheaper of the two whose first coarsening contracts
     * only components that share a group in both ({@link #COMBINE_SHARE} of the budget). On that coarse graph both
     * parents are groupings, so one coarse move carries a fragment the parents agree on into the other parent's
     * arrangement; where the chains settled in different local optima in different parts of the application, the
     * child can take the better of each. What is left of the budget polishes the last child with further V-cycles.
     */
    int[] improve(Graph g, int[] start, long budget) {
        if (budget < CHAINS_FROM) {
            return cyclesFrom(g, start, budget);
        }
        long chainBudget = (long) (budget * CHAINS_SHARE) / CHAINS;
        long combineBudget = (long) (budget * COMBINE_SHARE);
        int[] child = cyclesFrom(g, start, Math.min(chainBudget, budget - work));
        double childCost = Groupings.cost(g, rules, child);
        for (int i = 1; i < CHAINS; i++) {
            int[] other = cyclesFrom(g, start, Math.min(chainBudget, budget - work));
            double otherCost = Groupings.cost(g, rules, other);
            boolean otherBetter = otherCost < childCost;
            child = recombine(
                    g,
                    otherBetter ? other : child,
                    otherBetter ? child : other,
                    Math.max(0, Math.min(combineBudget, budget - work)));
            childCost = Groupings.cost(g, rules, child);
            work += g.n + g.adjStart[g.n]; // the pricing of both parents
        }
        return cyclesFrom(g, child, budget - work);
    }

    /**
     * One recombination V-cycle of two allowed groupings of g (see {@link #improve}): the best grouping found from
     * better, coarsened only where better and worse agree; never costlier than better.
     */
    int[] recombine(Graph g, int[] better, int[] worse, long budget) {
        return vcycle(g, better, worse, budget);
    }

    /** V-cycles from start (an allowed grouping) for budget units, each from the best so far. */
    private int[] cyclesFrom(Graph g, int[] start, long budget) {
        long end = work + budget;
        int[] current = start.clone();
        // A level that settles early leaves part of its share unspent: further V-cycles (each coarsened afresh, at
        // random, from the best so far) use it, until the budget is spent or MAX_CYCLES ran.
        long slice = budget / cycles;
        for (int c = 0; c < MAX_CYCLES && end - work > MIN_PATIENCE; c++) {
            current = vcycle(g, current, null, Math.min(slice, end - work));
        }
        return current;
    }

    /**
     * One V-cycle from start; with {@code other} (a second allowed grouping, the worse parent of a recombination)
     * the coarsening only contracts components that share a group in both, so other stays a grouping of every level.
     */
    private int[] vcycle(Graph g, int[] start, int @Nullable [] other, long budget) {
        if (g.n > COARSEST) {
            int[] clusterOf = new int[g.n];
            int clusters = match(g, start, other, clusterOf);
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
                int[] coarseOther = null;
                if (other != null) {
                    coarseOther = new int[clusters];
                    for (int v = 0; v < g.n; v++) {
                        coarseOther[clusterOf[v]] = other[v]; // clusters lie inside other's groups: one value each
                    }
                }
                int[] coarseBest = vcycle(coarse, coarseStart, coarseOther, budget / 2);
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

    /**
     * Heavy-edge matching of nodes in the same group (and, when {@code other} is given, in the same group of other
     * too), in random order; returns the number of clusters.
     */
    private int match(Graph g, int[] groupOf, int @Nullable [] other, int[] clusterOf) {
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
                if (clusterOf[u] < 0
                        && groupOf[u] == groupOf[v]
                        && (other == null || other[u] == other[v])
                        && g.adjW[e] > best) {
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
