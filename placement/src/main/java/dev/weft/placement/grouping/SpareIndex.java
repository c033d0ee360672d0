package dev.weft.placement.grouping;

import dev.weft.placement.model.CostModel;
import java.util.NavigableSet;
import java.util.TreeSet;

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
    private final double[] key; // the spare a group was filed under; slot n is the probe of a lookup
    private final int[] levelOf; // -1 when not filed
    private final NavigableSet<Integer>[] levels;
    private final int probe;

    @SuppressWarnings("unchecked")
    SpareIndex(Partition p, CostModel model) {
        this.p = p;
        this.model = model;
        this.perReplica = model.replicaCpuMax() * model.targetUtilization();
        int n = p.g.n;
        key = new double[n + 1];
        levelOf = new int[n];
        probe = n;
        levels = new NavigableSet[LEVELS];
        for (int l = 0; l < LEVELS; l++) {
            levels[l] = new TreeSet<>((x, y) -> {
                int c = Double.compare(key[x], key[y]);
                return c != 0 ? c : Integer.compare(x, y);
            });
        }
        java.util.Arrays.fill(levelOf, -1);
        for (int k = 0; k < n; k++) {
            update(k);
        }
    }

    /** Re-files group k after its totals changed (or removes it when empty or over its replica cap). */
    void update(int k) {
        if (levelOf[k] >= 0) {
            levels[levelOf[k]].remove(k);
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
        key[k] = spare;
        levelOf[k] = Math.min(r, LEVELS) - 1;
        levels[levelOf[k]].add(k);
    }

    /** The group with the least spare of at least {@code need} among groups of level {@code level} (0-based). */
    int bestFit(int level, double need) {
        key[probe] = need;
        Integer k = levels[level].ceiling(probe);
        return k == null ? -1 : k;
    }

    /** The group filed after k in its level (the next best fit), or -1. */
    int next(int k) {
        if (levelOf[k] < 0) {
            return -1;
        }
        Integer after = levels[levelOf[k]].higher(k);
        return after == null ? -1 : after;
    }

    /** True when every group is filed under its current spare and level, and nothing else is filed (for tests). */
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
                if (levelOf[k] != Math.min(r, LEVELS) - 1
                        || Math.abs(key[k] - spare) > 1e-9
                        || !levels[levelOf[k]].contains(k)) {
                    return false;
                }
            }
        }
        int sizes = 0;
        for (NavigableSet<Integer> l : levels) {
            sizes += l.size();
        }
        return sizes == filed;
    }
}
