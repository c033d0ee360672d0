package dev.weft.placement.grouping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Grouping for inputs too large to enumerate: multilevel coarsening (rounds of best-gain merges, each
 * group merging at most once per round, like heavy-edge matching but driven by the real cost change),
 * then refinement by single-node moves with gains computed from per-group aggregates (FM/KL style), then
 * seeded perturbation restarts (iterated local search) while the budget lasts.
 */
public final class HeuristicGrouper {
    private static final int SMALL = 64; // up to this many groups, every pair/group is a candidate
    private static final int SAMPLED_GROUPS = 4; // non-adjacent groups tried per node move on large inputs
    private static final int MAX_ROUNDS = 200;
    private static final int SWAP_LIMIT = 32; // pairwise swaps are O(n²) per pass: small inputs only
    private final GroupRules rules;
    private final RandomGenerator random;
    private final int restarts;
    private final long searchBudget;
    private final Kicks kicks;
    private long searchWork;

    /**
     * @param restarts perturbation restarts after the first descent; 0 gives the plain multilevel result
     */
    public HeuristicGrouper(GroupRules rules, RandomGenerator random, int restarts) {
        this(rules, random, restarts, 0);
    }

    /**
     * @param restarts     perturbation restarts after the first descent; 0 gives the plain multilevel result
     * @param searchBudget work units of the anytime search ({@link Improver}) after that; 0 skips it
     */
    public HeuristicGrouper(GroupRules rules, RandomGenerator random, int restarts, long searchBudget) {
        this.rules = rules;
        this.random = random;
        this.restarts = restarts;
        this.searchBudget = searchBudget;
        this.kicks = new Kicks(rules, random);
    }

    /** Work units the anytime search spent in the last {@link #solve}. */
    public long searchWork() {
        return searchWork;
    }

    /**
     * Runs only the anytime search ({@link Improver}) from an allowed grouping {@code start} of g with this grouper's
     * search budget, and returns the best grouping it saw (never costlier than start). For long reference searches
     * that start from a grouping found elsewhere.
     */
    public int[] improve(Graph g, int[] start) {
        Partition p = new Partition(g, rules, start);
        if (!p.allFit() || g.n < 2) {
            throw new IllegalArgumentException("improve needs an allowed grouping of at least two nodes");
        }
        MultilevelSearch search = new MultilevelSearch(rules, random, MultilevelSearch.cycles(searchBudget));
        int[] improved = search.improve(g, start, searchBudget);
        searchWork = search.work();
        return improved;
    }

    /** Default restart budget: many for small graphs (where they are cheap), few for large ones. */
    public static int defaultRestarts(int nodes) {
        if (nodes <= 12) {
            return 1000; // where the exact search can check it; the planner runs exact there anyway
        }
        if (nodes <= 16) {
            return 300;
        }
        if (nodes <= 64) {
            return 60;
        }
        return nodes <= 300 ? 8 : 1;
    }

    /** Returns a group id per node of {@code g}. */
    public int[] solve(Graph g) {
        Partition p = new Partition(g, rules, Partition.singletons(g.n));
        // When every node fits alone, every move and merge keeps every group allowed, so no grouping the search
        // reaches needs checking; otherwise starts are repaired and results checked.
        boolean singletonsFit = p.allFit();
        boolean bestFits = singletonsFit || Repair.run(p, rules);
        coarsen(p);
        refine(p, true);
        int[] best = p.snapshot();
        double bestCost = p.total;
        int[] current = best;
        double currentCost = bestCost;
        for (int r = 0; r < restarts && g.n > 1; r++) {
            // Iterated local search: kick the current solution, re-descend, and accept like simulated annealing
            // (a slightly worse local optimum is sometimes kept, so the walk can leave a basin); every fourth run
            // starts afresh from a random grouping instead.
            Partition q;
            if (r % 4 == 3) {
                q = new Partition(g, rules, kicks.randomStart(g));
                if (!singletonsFit) {
                    Repair.run(q, rules);
                }
            } else {
                q = new Partition(g, rules, current);
                switch (random.nextInt(4)) {
                    case 0 -> kicks.scatter(q, 1 + random.nextInt(Math.min(4, g.n)));
                    case 1 -> kicks.split(q);
                    case 2 -> kicks.exchange(q);
                    case 3 -> kicks.merge(q);
                }
            }
            refine(q);
            boolean fits = singletonsFit || q.allFit();
            if (bestFits && !fits) {
                continue; // a cheaper grouping that breaks a limit is no plan
            }
            // With few restarts a worse walk never gets back: anneal only when there is budget to wander.
            double temperature = restarts >= 100 ? 0.003 * bestCost * (1 - (double) r / restarts) : 0;
            if (q.total < currentCost
                    || random.nextDouble() < Math.exp(-(q.total - currentCost) / temperature)
                    || (fits && !bestFits)) {
                current = q.snapshot();
                currentCost = q.total;
            }
            if (q.total < bestCost - 1e-9 * Math.max(1, Math.abs(bestCost)) || (fits && !bestFits)) {
                best = q.snapshot();
                bestCost = q.total;
                bestFits = fits;
            }
        }
        // FM passes cost several greedy descents, so they polish the first descent and the final best, not every kick.
        if (restarts > 0) {
            Partition polished = new Partition(g, rules, best);
            refine(polished, true);
            if (polished.total < bestCost - 1e-9 * Math.max(1, Math.abs(bestCost))) {
                best = polished.snapshot();
                bestCost = polished.total;
            }
        }
        searchWork = 0;
        if (searchBudget > 0 && g.n > 1 && (bestFits || new Partition(g, rules, best).allFit())) {
            MultilevelSearch search = new MultilevelSearch(rules, random, MultilevelSearch.cycles(searchBudget));
            int[] improved = search.improve(g, best, searchBudget);
            searchWork = search.work();
            // Priced afresh: the search's running total carries the rounding of many thousand moves.
            if (Groupings.cost(g, rules, improved) < Groupings.cost(g, rules, best)) {
                best = improved;
            }
        }
        return best;
    }

    private void coarsen(Partition p) {
        for (int round = 0; round < MAX_ROUNDS && mergeRound(p); round++) {
            // each round is one level: merge a matching of groups, then look again at the coarser graph
        }
    }

    private void refine(Partition p) {
        refine(p, false);
    }

    /** Greedy descent (moves, merges, swaps); with {@code withFm}, FM passes walk on through uphill steps. */
    private void refine(Partition p, boolean withFm) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean moved = movePass(p);
            boolean merged = mergeRound(p);
            if (!moved && !merged && !(p.g.n <= SWAP_LIMIT && swapPass(p)) && !(withFm && FmPass.run(p))) {
                return;
            }
        }
    }

    /**
     * Exchanges two nodes of different groups when that lowers cost: replica counts move in steps, so two groups
     * often only improve by trading members (a bin-packing move no single move or merge finds). O(n²), small n only.
     */
    boolean swapPass(Partition p) {
        Graph g = p.g;
        boolean any = false;
        for (int u = 0; u < g.n; u++) {
            for (int v = u + 1; v < g.n; v++) {
                int a = p.groupOf[u];
                int b = p.groupOf[v];
                if (a == b || p.count[a] < 2 || p.count[b] < 2) {
                    continue;
                }
                double before = p.total;
                p.collect(u);
                p.move(u, b);
                p.clearCollected();
                p.collect(v);
                boolean ok = !Double.isNaN(p.moveDelta(v, a));
                if (ok) {
                    p.move(v, a);
                }
                p.clearCollected();
                if (ok
                        && p.total < before - 1e-12 * Math.max(1, before)
                        && p.groupFits(a)
                        && p.groupFits(b)
                        && !p.separatedFrom(u, b)) {
                    any = true;
                    continue;
                }
                if (ok) {
                    p.collect(v);
                    p.move(v, b);
                    p.clearCollected();
                }
                p.collect(u);
                p.move(u, a);
                p.clearCollected();
            }
        }
        return any;
    }

    /** One round of merges: best gains first, every group at most once. */
    boolean mergeRound(Partition p) {
        Graph g = p.g;
        // Pair keys a·n + b: unique and well spread (a << 32 | b would hash to a ^ b and collide).
        long n = g.n;
        Map<Long, Double> between = new HashMap<>();
        for (int v = 0; v < g.n; v++) {
            int a = p.groupOf[v];
            for (int i = g.adjStart[v]; i < g.adjStart[v + 1]; i++) {
                int b = p.groupOf[g.adjNode[i]];
                if (a < b) {
                    between.merge(a * n + b, g.adjW[i], Double::sum);
                }
            }
        }
        List<Integer> active = p.activeGroups();
        if (active.size() <= SMALL) {
            // Unconnected groups can still gain from sharing a process (one process overhead instead of two).
            for (int i = 0; i < active.size(); i++) {
                for (int j = i + 1; j < active.size(); j++) {
                    between.putIfAbsent(active.get(i) * n + active.get(j), 0.0);
                }
            }
        }
        List<double[]> gains = new ArrayList<>();
        for (Map.Entry<Long, Double> e : between.entrySet()) {
            int a = (int) (e.getKey() / n);
            int b = (int) (e.getKey() % n);
            double d = p.mergeDelta(a, b, e.getValue());
            if (d < -Partition.EPS) {
                gains.add(new double[] {d, a, b, e.getValue()});
            }
        }
        // Ties broken by ids so the result never depends on hash iteration order.
        gains.sort((x, y) -> x[0] != y[0]
                ? Double.compare(x[0], y[0])
                : x[1] != y[1] ? Double.compare(x[1], y[1]) : Double.compare(x[2], y[2]));
        boolean[] used = new boolean[g.n];
        boolean any = false;
        for (double[] m : gains) {
            int a = (int) m[1];
            int b = (int) m[2];
            if (!used[a] && !used[b]) {
                used[a] = true;
                used[b] = true;
                p.merge(a, b, m[3]);
                any = true;
            }
        }
        return any;
    }

    /** Moves each node to the group (or a new group) that lowers cost most; true if anything moved. */
    boolean movePass(Partition p) {
        Graph g = p.g;
        boolean any = false;
        List<Integer> active = p.activeGroups();
        boolean small = active.size() <= SMALL;
        for (int v = 0; v < g.n; v++) {
            p.collect(v);
            int a = p.groupOf[v];
            int bestGroup = -1;
            double bestDelta = -Partition.EPS;
            for (int i = 0; i < p.touchedCount; i++) {
                int b = p.touched[i];
                double d = p.moveDelta(v, b);
                if (d < bestDelta) {
                    bestDelta = d;
                    bestGroup = b;
                }
            }
            if (small) {
                for (int b : active) {
                    if (p.count[b] > 0 && p.wTo[b] == 0) {
                        double d = p.moveDelta(v, b);
                        if (d < bestDelta) {
                            bestDelta = d;
                            bestGroup = b;
                        }
                    }
                }
            } else {
                for (int s = 0; s < SAMPLED_GROUPS; s++) {
                    int b = p.groupOf[random.nextInt(g.n)];
                    if (p.wTo[b] == 0) {
                        double d = p.moveDelta(v, b);
                        if (d < bestDelta) {
                            bestDelta = d;
                            bestGroup = b;
                        }
                    }
                }
            }
            int fresh = p.peekFree();
            if (p.count[a] > 1 && fresh >= 0) {
                double d = p.moveDelta(v, fresh);
                if (d < bestDelta) {
                    bestDelta = d;
                    bestGroup = fresh;
                }
            }
            if (bestGroup >= 0) {
                p.move(v, bestGroup);
                any = true;
                if (small && p.count[bestGroup] == 1) {
                    active.add(bestGroup);
                }
            }
            p.clearCollected();
        }
        return any;
    }
}
