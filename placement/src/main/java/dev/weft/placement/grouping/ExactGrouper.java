package dev.weft.placement.grouping;

import java.util.Arrays;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Optimal grouping by depth-first enumeration of set partitions (restricted growth strings, so each
 * partition is visited once) with branch and bound. The bound is admissible: a partial group can only get
 * more cpu, memory and replicas, and every unplaced node adds at least its own cpu and memory once.
 */
public final class ExactGrouper {
    private final Graph g;
    private final GroupRules rules;
    private final long nodeBudget;
    private final int n;
    private final int[] order;
    private final int[] pos;
    private final int[] groupOf;
    private final double[] cpu;
    private final double[] mem;
    private final int[] maxMin;
    private final int[] minMax;
    private final int[] count;
    private final Set<String>[] labels;
    private final double[] suffixLb;
    private final int[] suffixMinMax;
    private double best = Double.POSITIVE_INFINITY;
    private int @Nullable [] bestGroupOf;
    private long visited;
    private boolean exhausted;

    /**
     * Outcome: the best grouping found, its cost, and whether the search was complete (proven optimal). A class, not
     * a record: it holds an array, which a record would compare by identity.
     */
    public static final class Result {
        private final int @Nullable [] groupOf;
        private final double cost;
        private final boolean proven;
        private final long nodesVisited;

        Result(int @Nullable [] groupOf, double cost, boolean proven, long nodesVisited) {
            this.groupOf = groupOf;
            this.cost = cost;
            this.proven = proven;
            this.nodesVisited = nodesVisited;
        }

        /** Group id per node of the best grouping found, or null when none is allowed (or none was reached). */
        public int @Nullable [] groupOf() {
            return groupOf;
        }

        public double cost() {
            return cost;
        }

        /** True when the search completed: no allowed grouping is cheaper (or, with no grouping, none exists). */
        public boolean proven() {
            return proven;
        }

        public long nodesVisited() {
            return nodesVisited;
        }
    }

    @SuppressWarnings("unchecked")
    private ExactGrouper(Graph g, GroupRules rules, long nodeBudget) {
        this.g = g;
        this.rules = rules;
        this.nodeBudget = nodeBudget;
        this.n = g.n;
        order = maxAdjacencyOrder(g);
        pos = new int[n];
        for (int i = 0; i < n; i++) {
            pos[order[i]] = i;
        }
        groupOf = new int[n];
        Arrays.fill(groupOf, -1);
        cpu = new double[n];
        mem = new double[n];
        maxMin = new int[n];
        minMax = new int[n];
        count = new int[n];
        labels = new Set[n];
        Arrays.fill(labels, Set.of());
        Arrays.fill(minMax, Integer.MAX_VALUE);
        suffixLb = new double[n + 1];
        suffixMinMax = new int[n + 1];
        suffixMinMax[n] = Integer.MAX_VALUE;
        var m = rules.model();
        for (int i = n - 1; i >= 0; i--) {
            int v = order[i];
            suffixLb[i] = suffixLb[i + 1] + m.price(g.cpu[v] / m.targetUtilization(), g.mem[v] * g.maxMin[v]);
            suffixMinMax[i] = Math.min(suffixMinMax[i + 1], g.minMax[v]);
        }
    }

    /**
     * Solves to optimality unless more than {@code nodeBudget} search nodes are needed.
     *
     * @param incumbent a known feasible grouping (may be null); only prunes, never changes the optimum
     */
    public static Result solve(Graph g, GroupRules rules, int @Nullable [] incumbent, long nodeBudget) {
        ExactGrouper s = new ExactGrouper(g, rules, nodeBudget);
        if (incumbent != null) {
            double c = Groupings.cost(g, rules, incumbent);
            if (Groupings.feasible(g, rules, incumbent)) {
                s.best = c;
                s.bestGroupOf = incumbent.clone();
            }
        }
        if (g.n == 0) {
            return new Result(new int[0], 0, true, 0);
        }
        s.search(0, 0);
        return new Result(s.bestGroupOf, s.best, !s.exhausted, s.visited);
    }

    /**
     * A lower bound on the cost of every grouping of {@code g}: each node's own cpu and memory (at its minimum
     * replicas) plus one process. It ignores remote calls and most process overhead, so it is loose; its gap to
     * a plan's cost bounds how far that plan can be from optimal on inputs too large to enumerate.
     */
    public static double lowerBound(Graph g, GroupRules rules) {
        ExactGrouper s = new ExactGrouper(g, rules, 0);
        var m = rules.model();
        return s.suffixLb[0] + (g.n > 0 ? m.price(m.processCpu(), m.processMem()) : 0);
    }

    private void search(int i, int groups) {
        if (++visited > nodeBudget) {
            exhausted = true;
            return;
        }
        if (i == n) {
            leaf(groups);
            return;
        }
        int v = order[i];
        for (int k = 0; k <= groups && !exhausted; k++) {
            if (!allowed(v, i, k)) {
                continue;
            }
            int oldMin = maxMin[k];
            int oldMax = minMax[k];
            Set<String> oldLabels = labels[k];
            assign(v, i, k, +1);
            maxMin[k] = Math.max(oldMin, g.maxMin[v]);
            minMax[k] = Math.min(oldMax, g.minMax[v]);
            labels[k] = GroupRules.union(oldLabels, g.labels.get(v));
            int nextGroups = k == groups ? groups + 1 : groups;
            if (bound(i + 1, nextGroups) < threshold()) {
                search(i + 1, nextGroups);
            }
            maxMin[k] = oldMin;
            minMax[k] = oldMax;
            labels[k] = oldLabels;
            assign(v, i, k, -1);
        }
    }

    /** Strictly better than the incumbent by more than float noise (infinite while there is none). */
    private double threshold() {
        return Double.isInfinite(best) ? best : best - 1e-12 * Math.max(1, best);
    }

    private boolean allowed(int v, int i, int k) {
        for (int s : g.separated[v]) {
            if (pos[s] < i && groupOf[s] == k) {
                return false;
            }
        }
        if (Math.max(maxMin[k], g.maxMin[v]) > Math.min(minMax[k], g.minMax[v])) {
            return false; // bounds only get tighter as members join
        }
        return rules.memoryCanFit(mem[k] + g.mem[v], GroupRules.union(labels[k], g.labels.get(v)));
    }

    /** Adds (sign +1) or removes (sign -1) v from group k, including the cut halves with placed nodes. */
    private void assign(int v, int i, int k, int sign) {
        cpu[k] += sign * g.cpu[v];
        mem[k] += sign * g.mem[v];
        count[k] += sign;
        groupOf[v] = sign > 0 ? k : -1;
        for (int e = g.adjStart[v]; e < g.adjStart[v + 1]; e++) {
            int u = g.adjNode[e];
            if (pos[u] < i && groupOf[u] != k) {
                double half = sign * g.adjW[e] / 2;
                cpu[k] += half;
                cpu[groupOf[u]] += half;
            }
        }
    }

    private double bound(int next, int groups) {
        var m = rules.model();
        double lb = suffixLb[next];
        int capRemaining = suffixMinMax[next];
        for (int k = 0; k < groups; k++) {
            int r = Math.max(maxMin[k], Math.min(m.replicasForCpu(cpu[k]), Math.min(minMax[k], capRemaining)));
            lb += m.price(m.cores(cpu[k], r), m.memory(mem[k], r));
        }
        return lb;
    }

    private void leaf(int groups) {
        double total = 0;
        for (int k = 0; k < groups; k++) {
            if (!rules.fits(cpu[k], mem[k], maxMin[k], minMax[k], labels[k])) {
                return;
            }
            total += rules.cost(cpu[k], mem[k], maxMin[k], minMax[k]);
        }
        if (total < threshold()) {
            best = total;
            bestGroupOf = groupOf.clone();
        }
    }

    /** Heavy neighbours early, so cut edges become permanent (and the bound tight) near the root. */
    private static int[] maxAdjacencyOrder(Graph g) {
        int n = g.n;
        int[] order = new int[n];
        boolean[] done = new boolean[n];
        double[] conn = new double[n];
        for (int i = 0; i < n; i++) {
            int pick = -1;
            for (int v = 0; v < n; v++) {
                if (!done[v]
                        && (pick < 0
                                || conn[v] > conn[pick]
                                || (conn[v] == conn[pick] && g.totalW[v] + g.cpu[v] > g.totalW[pick] + g.cpu[pick]))) {
                    pick = v;
                }
            }
            order[i] = pick;
            done[pick] = true;
            for (int e = g.adjStart[pick]; e < g.adjStart[pick + 1]; e++) {
                conn[g.adjNode[e]] += g.adjW[e];
            }
        }
        return order;
    }
}
