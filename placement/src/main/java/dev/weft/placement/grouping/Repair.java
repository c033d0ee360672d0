package dev.weft.placement.grouping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Makes a starting grouping allowed before the descent. Descent only takes moves and merges whose groups meet
 * every limit, so a group that breaks one at the start would never be touched and would end in the result; yet
 * a component whose replica is too big for every agent alone often fits once colocated, because more work can
 * mean one more replica and a smaller share each. Repair merges each such group with the one, two or three
 * groups that make it allowed at the least cost.
 */
final class Repair {
    /** Partners tried in pairs and triples: the cheapest merges, since a window of cpu may need several. */
    private static final int COMBINED = 12;

    private Repair() {}

    /** True when the grouping is allowed afterwards; a group no such merge can fix is left as it is. */
    static boolean run(Partition p, GroupRules rules) {
        boolean all = true;
        for (int k = 0; k < p.g.n; k++) {
            if (p.count[k] > 0 && !p.groupFits(k) && !repair(p, rules, k)) {
                all = false;
            }
        }
        return all;
    }

    private static boolean repair(Partition p, GroupRules rules, int k) {
        double[] toK = weightsFrom(p, k);
        // One partner: the allowed merge of least cost.
        int single = -1;
        double bestSingle = Double.POSITIVE_INFINITY;
        List<Integer> open = new ArrayList<>();
        List<Double> relaxed = new ArrayList<>();
        for (int j : p.activeGroups()) {
            if (j == k || separated(p, k, j)) {
                continue;
            }
            double d = p.mergeDelta(k, j, toK[j]);
            if (d < bestSingle) { // false for NaN: a merge that breaks a limit is no repair
                bestSingle = d;
                single = j;
            }
            open.add(j);
            relaxed.add(delta(p, rules, new int[] {k, j}, new double[] {toK[j]}, false));
        }
        if (single >= 0) {
            p.merge(k, single, toK[single]);
            return true;
        }
        // Several partners: the cpu that makes a group fit can lie in a narrow window (2 replicas of 1.4-1.96 cores
        // of work on 1.5-core agents), which one light partner may miss and two or three reach.
        List<Integer> byDelta = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
            byDelta.add(i);
        }
        byDelta.sort(Comparator.comparingDouble((Integer i) -> relaxed.get(i)).thenComparingInt(open::get));
        int c = Math.min(COMBINED, byDelta.size());
        int[] cand = new int[c];
        for (int i = 0; i < c; i++) {
            cand[i] = open.get(byDelta.get(i));
        }
        double[][] w = new double[c][c];
        boolean[][] apart = new boolean[c][c];
        for (int i = 0; i < c; i++) {
            double[] from = weightsFrom(p, cand[i]);
            for (int j = 0; j < c; j++) {
                w[i][j] = from[cand[j]];
                apart[i][j] = i != j && separated(p, cand[i], cand[j]);
            }
        }
        int[] best = null;
        double bestDelta = Double.POSITIVE_INFINITY;
        for (int a = 0; a < c; a++) {
            for (int b = a + 1; b < c; b++) {
                if (apart[a][b]) {
                    continue;
                }
                double d2 = delta(
                        p,
                        rules,
                        new int[] {k, cand[a], cand[b]},
                        new double[] {toK[cand[a]], toK[cand[b]], w[a][b]},
                        true);
                if (d2 < bestDelta) {
                    bestDelta = d2;
                    best = new int[] {a, b};
                }
                for (int e = b + 1; e < c; e++) {
                    if (apart[a][e] || apart[b][e]) {
                        continue;
                    }
                    double d3 = delta(
                            p,
                            rules,
                            new int[] {k, cand[a], cand[b], cand[e]},
                            new double[] {toK[cand[a]], toK[cand[b]], toK[cand[e]], w[a][b], w[a][e], w[b][e]},
                            true);
                    if (d3 < bestDelta) {
                        bestDelta = d3;
                        best = new int[] {a, b, e};
                    }
                }
            }
        }
        if (best == null) {
            return false;
        }
        // Merge one partner at a time; the weight to the grown group is the sum of the weights to its parts.
        int grown = k;
        double[] toGrown = new double[c];
        for (int j = 0; j < c; j++) {
            toGrown[j] = toK[cand[j]];
        }
        for (int i : best) {
            grown = p.merge(grown, cand[i], toGrown[i]);
            for (int j = 0; j < c; j++) {
                toGrown[j] += w[i][j];
            }
        }
        return true;
    }

    /** Edge weight from group k's members to every group (indexed by group id). */
    private static double[] weightsFrom(Partition p, int k) {
        for (int v : p.members(k)) {
            p.collect(v);
        }
        double[] out = new double[p.g.n];
        for (int i = 0; i < p.touchedCount; i++) {
            out[p.touched[i]] = p.wTo[p.touched[i]];
        }
        p.clearCollected();
        return out;
    }

    private static boolean separated(Partition p, int a, int b) {
        int small = p.count[a] <= p.count[b] ? a : b;
        int other = small == a ? b : a;
        for (int v : p.members(small)) {
            if (p.separatedFrom(v, other)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Cost change of joining the groups into one (inner: the weights between them, which stop being remote), or
     * +infinity when {@code mustFit} and the joined group breaks a limit.
     */
    private static double delta(Partition p, GroupRules rules, int[] groups, double[] inner, boolean mustFit) {
        double cpu = 0;
        double mem = 0;
        int mn = 0;
        int mx = Integer.MAX_VALUE;
        Set<String> labels = Set.of();
        double apart = 0;
        for (int k : groups) {
            cpu += p.base[k] + p.cut[k];
            mem += p.mem[k];
            mn = Math.max(mn, p.maxMin[k]);
            mx = Math.min(mx, p.minMax[k]);
            labels = GroupRules.union(labels, p.labels[k]);
            apart += p.cost[k];
        }
        for (double x : inner) {
            cpu -= x; // each group carried half of it as cut overhead
        }
        if (mustFit && !rules.fits(cpu, mem, mn, mx, labels)) {
            return Double.POSITIVE_INFINITY;
        }
        return mn > mx ? Double.POSITIVE_INFINITY : rules.cost(cpu, mem, mn, mx) - apart;
    }
}
