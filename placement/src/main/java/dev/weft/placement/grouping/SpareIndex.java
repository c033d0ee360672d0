package dev.weft.placement.grouping;

import dev.weft.placement.model.CostModel;

/**
 * Groups by spare room: how much more cpu a group can take before it needs one more replica
 * ({@code replicas × replicaCpuMax × targetUtilization − cpu(g)}), one ordered set per replica count (1, 2, 3, and
 * 4 or more), so a component can be offered the fullest group that still has room for it at every replica count —
 * the best fit of bin packing — without scanning every group. Partition keeps it current on every move.
 */
final class SpareIndex {
    static final int LEVELS = 4;
    private final Partition p;
    private final CostModel model;
    private final double perReplica;
    private final double[] key; // the spare a group was filed under
    private final int[] levelOf; // -1 when not filed
    // Per level, the filed groups in ascending (key, id) order: a sorted array, since a level holds at most a few
    // hundred groups and a shift of that many ints costs less than a tree's boxed nodes (same order as a TreeSet).
    private final int[][] levels;
    private final int[] sizes;

    SpareIndex(Partition p, CostModel model) {
        this.p = p;
        this.model = model;
        this.perReplica = model.replicaCpuMax() * model.targetUtilization();
        int n = p.g.n;
        key = new double[n];
        levelOf = new int[n];
        levels = new int[LEVELS][n];
        sizes = new int[LEVELS];
        java.util.Arrays.fill(levelOf, -1);
        for (int k = 0; k < n; k++) {
            update(k);
        }
    }

    /** Re-files group k after its totals changed (or removes it when empty or over its replica cap). */
    void update(int k) {
        int filed = levelOf[k];
        if (filed >= 0) {
            int i = lowerBound(filed, key[k], k);
            int[] a = levels[filed];
            System.arraycopy(a, i + 1, a, i, sizes[filed] - i - 1);
            sizes[filed]--;
            levelOf[k] = -1;
        }
        if (p.count[k] == 0) {
            return;
        }
        double cpu = p.base[k] + p.cut[k];
        int r = model.replicas(cpu, p.maxMin[k], p.minMax[k]);
        double spare = r * perReplica - cpu;
        if (spare < 0) {
            return; // capped by maxReplicas: its replicas already carry more than replicaCpuMax each
        }
        int level = Math.min(r, LEVELS) - 1;
        key[k] = spare;
        levelOf[k] = level;
        int i = lowerBound(level, spare, k);
        int[] a = levels[level];
        System.arraycopy(a, i, a, i + 1, sizes[level] - i);
        a[i] = k;
        sizes[level]++;
    }

    /** The first position of level whose group orders at or after (spare, id): by spare, then by id. */
    private int lowerBound(int level, double spare, int id) {
        int[] a = levels[level];
        int lo = 0;
        int hi = sizes[level];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int x = a[mid];
            int c = Double.compare(key[x], spare);
            if (c < 0 || (c == 0 && x < id)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The group with the least spare of more than {@code need} among groups of level {@code level} (0-based). */
    int bestFit(int level, double need) {
        // every id is below Integer.MAX_VALUE: a group of spare exactly need orders before the probe, as it did in
        // the tree this replaced (the probe there was id n)
        int i = lowerBound(level, need, Integer.MAX_VALUE);
        return i < sizes[level] ? levels[level][i] : -1;
    }

    /** The group filed after k in its level (the next best fit), or -1. */
    int next(int k) {
        int level = levelOf[k];
        if (level < 0) {
            return -1;
        }
        int i = lowerBound(level, key[k], k) + 1;
        return i < sizes[level] ? levels[level][i] : -1;
    }

    /** True when every group is filed under its current spare and level, in order, and nothing else (for tests). */
    boolean consistent() {
        int filed = 0;
        for (int k = 0; k < levelOf.length; k++) {
            double cpu = p.base[k] + p.cut[k];
            int r = p.count[k] == 0 ? 0 : model.replicas(cpu, p.maxMin[k], p.minMax[k]);
            double spare = r * perReplica - cpu;
            boolean shouldBe = p.count[k] > 0 && spare >= 0;
            if (shouldBe != (levelOf[k] >= 0)) {
                return false;
            }
            if (shouldBe) {
                filed++;
                int level = levelOf[k];
                int i = lowerBound(level, key[k], k);
                if (level != Math.min(r, LEVELS) - 1
                        || Math.abs(key[k] - spare) > 1e-9
                        || i >= sizes[level]
                        || levels[level][i] != k) {
                    return false;
                }
            }
        }
        int total = 0;
        for (int l = 0; l < LEVELS; l++) {
            total += sizes[l];
            for (int i = 1; i < sizes[l]; i++) {
                int x = levels[l][i - 1];
                int y = levels[l][i];
                int c = Double.compare(key[x], key[y]);
                if (c > 0 || (c == 0 && x >= y)) {
                    return false;
                }
            }
        }
        return total == filed;
    }
}
