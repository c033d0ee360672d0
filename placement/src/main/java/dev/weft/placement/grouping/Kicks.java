package dev.weft.placement.grouping;

import java.util.random.RandomGenerator;

/**
 * The perturbations of the heuristic's iterated local search: each changes a local optimum just enough that the
 * next descent can reach a different one, and never breaks a limit.
 */
final class Kicks {
    private final GroupRules rules;
    private final RandomGenerator random;

    Kicks(GroupRules rules, RandomGenerator random) {
        this.rules = rules;
        this.random = random;
    }

    /** A random grouping: nodes in random order join a random open group when allowed, else open one. */
    int[] randomStart(Graph g) {
        Partition p = new Partition(g, rules, Partition.singletons(g.n));
        int groups = 1 + random.nextInt(Math.max(1, g.n / 2));
        int[] target = new int[groups];
        for (int i = 0; i < groups; i++) {
            target[i] = random.nextInt(g.n);
        }
        for (int v = 0; v < g.n; v++) {
            int b = p.groupOf[target[random.nextInt(groups)]];
            if (b != p.groupOf[v]) {
                p.collect(v);
                if (!Double.isNaN(p.moveDelta(v, b))) {
                    p.move(v, b);
                }
                p.clearCollected();
            }
        }
        return p.snapshot();
    }

    /**
     * Moves a random part of one group into a new group together: single-node moves cannot find a split whose
     * halves only pay off as a whole (e.g. the members that force two replicas leaving together).
     */
    void split(Partition p) {
        Graph g = p.g;
        int v = random.nextInt(g.n);
        int a = p.groupOf[v];
        int fresh = p.peekFree();
        if (p.count[a] < 2 || fresh < 0) {
            return;
        }
        int[] members = new int[p.count[a]];
        int m = 0;
        for (int u = 0; u < g.n; u++) {
            if (p.groupOf[u] == a) {
                members[m++] = u;
            }
        }
        tryMove(p, v, fresh);
        for (int extra = random.nextInt(3); extra > 0 && p.count[a] > 1; extra--) {
            tryMove(p, members[random.nextInt(m)], fresh);
        }
    }

    /** Trades one or two random members between two random groups (a compound swap for refine to polish). */
    void exchange(Partition p) {
        Graph g = p.g;
        int u = random.nextInt(g.n);
        int v = random.nextInt(g.n);
        int a = p.groupOf[u];
        int b = p.groupOf[v];
        if (a == b) {
            return;
        }
        int[] fromA = membersOf(p, a);
        int[] fromB = membersOf(p, b);
        for (int k = 1 + random.nextInt(2); k > 0; k--) {
            tryMove(p, fromA[random.nextInt(fromA.length)], b);
        }
        for (int k = 1 + random.nextInt(2); k > 0; k--) {
            int w = fromB[random.nextInt(fromB.length)];
            if (p.groupOf[w] == b) {
                tryMove(p, w, a);
            }
        }
    }

    private static int[] membersOf(Partition p, int k) {
        int[] out = new int[p.count[k]];
        int m = 0;
        for (int u = 0; u < p.g.n && m < out.length; u++) {
            if (p.groupOf[u] == k) {
                out[m++] = u;
            }
        }
        return out;
    }

    /** Merges the groups of two random nodes when allowed, the group-level counterpart of a node move. */
    void merge(Partition p) {
        Graph g = p.g;
        int a = p.groupOf[random.nextInt(g.n)];
        int b = p.groupOf[random.nextInt(g.n)];
        if (a == b) {
            return;
        }
        double w = 0;
        for (int u = 0; u < g.n; u++) {
            if (p.groupOf[u] == a) {
                for (int i = g.adjStart[u]; i < g.adjStart[u + 1]; i++) {
                    if (p.groupOf[g.adjNode[i]] == b) {
                        w += g.adjW[i];
                    }
                }
            }
        }
        if (!Double.isNaN(p.mergeDelta(a, b, w))) {
            p.merge(a, b, w);
        }
    }

    private static void tryMove(Partition p, int v, int b) {
        p.collect(v);
        if (!Double.isNaN(p.moveDelta(v, b))) {
            p.move(v, b);
        }
        p.clearCollected();
    }

    /** Kicks a few random nodes into random groups (or a new one), keeping every limit. */
    void scatter(Partition p, int kicks) {
        Graph g = p.g;
        for (int k = 0; k < kicks; k++) {
            int v = random.nextInt(g.n);
            int b = random.nextInt(4) == 0 ? p.peekFree() : p.groupOf[random.nextInt(g.n)];
            if (b < 0 || b == p.groupOf[v]) {
                continue;
            }
            p.collect(v);
            if (!Double.isNaN(p.moveDelta(v, b))) {
                p.move(v, b);
            }
            p.clearCollected();
        }
    }
}
