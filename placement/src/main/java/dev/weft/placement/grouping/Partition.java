package dev.weft.placement.grouping;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Mutable grouping state for local search: per-group aggregates kept up to date on every move and merge,
 * so the gain of moving a node costs O(its degree) and never a full re-evaluation.
 */
final class Partition {
    static final double EPS = 1e-12;
    final Graph g;
    private final GroupRules rules;
    final int[] groupOf;
    final double[] base; // Σ cpu of members
    final double[] cut; // Σ half-weights of cut edges touching the group
    final double[] mem;
    final int[] maxMin;
    final int[] minMax;
    // How many members attain maxMin and minMax: a member that leaves changes a bound only when it was the last.
    final int[] atMin;
    final int[] atMax;
    // Members with a raised minimum (> 1) or a finite maximum: when the only one leaves, the bound is the default.
    private final int[] raised;
    private final int[] capped;
    final int[] count;
    final Set<String>[] labels;
    final double[] cost;
    private final int[] head;
    private final int[] next;
    private final int[] prev;
    private final int[] free; // stack of empty group ids
    private int freeTop;
    double total;
    // Scratch for weights from one node to each group; reset after every use.
    final double[] wTo;
    final int[] touched;
    int touchedCount;
    // Kept current on every move and merge once someone asks for it (the improver does; construction does not).
    private @Nullable SpareIndex spare;
    // The cost v's group would have without v, for the node collected last: the same for every target a search
    // prices for it, so computed once; forgotten on every collect and every change.
    private int leaving = -1;
    private double leftCost;

    @SuppressWarnings("unchecked")
    Partition(Graph g, GroupRules rules, int[] assignment) {
        this.g = g;
        this.rules = rules;
        int n = g.n;
        groupOf = new int[n];
        base = new double[n];
        cut = new double[n];
        mem = new double[n];
        maxMin = new int[n];
        minMax = new int[n];
        atMin = new int[n];
        atMax = new int[n];
        raised = new int[n];
        capped = new int[n];
        count = new int[n];
        labels = new Set[n];
        cost = new double[n];
        head = new int[n];
        next = new int[n];
        prev = new int[n];
        free = new int[n];
        wTo = new double[n];
        touched = new int[n];
        Arrays.fill(head, -1);
        Arrays.fill(minMax, Integer.MAX_VALUE);
        Arrays.fill(labels, Set.of());
        for (int v = 0; v < n; v++) {
            int k = assignment[v];
            groupOf[v] = k;
            base[k] += g.cpu[v];
            mem[k] += g.mem[v];
            addBounds(k, v);
            labels[k] = GroupRules.union(labels[k], g.labels.get(v));
            link(v, k);
        }
        for (int v = 0; v < n; v++) {
            for (int i = g.adjStart[v]; i < g.adjStart[v + 1]; i++) {
                if (groupOf[g.adjNode[i]] != groupOf[v]) {
                    cut[groupOf[v]] += g.adjW[i] / 2;
                }
            }
        }
        for (int k = n - 1; k >= 0; k--) {
            if (count[k] == 0) {
                free[freeTop++] = k;
                clearBounds(k);
            } else {
                cost[k] = groupCost(k);
                total += cost[k];
            }
        }
    }

    static int[] singletons(int n) {
        int[] a = new int[n];
        for (int v = 0; v < n; v++) {
            a[v] = v;
        }
        return a;
    }

    private void addBounds(int k, int v) {
        int x = g.maxMin[v];
        if (x > 1) {
            raised[k]++;
        }
        if (g.minMax[v] != Integer.MAX_VALUE) {
            capped[k]++;
        }
        if (x > maxMin[k]) {
            maxMin[k] = x;
            atMin[k] = 1;
        } else if (x == maxMin[k]) {
            atMin[k]++;
        }
        int y = g.minMax[v];
        if (y < minMax[k]) {
            minMax[k] = y;
            atMax[k] = 1;
        } else if (y == minMax[k]) {
            atMax[k]++;
        }
    }

    /** Updates k's bounds after v left it (v already unlinked; k not empty). */
    private void removeBounds(int k, int v) {
        if (g.maxMin[v] > 1) {
            raised[k]--;
        }
        if (g.minMax[v] != Integer.MAX_VALUE) {
            capped[k]--;
        }
        boolean rescan = false;
        if (g.maxMin[v] == maxMin[k] && --atMin[k] == 0) {
            rescan = true;
        }
        if (g.minMax[v] == minMax[k] && --atMax[k] == 0) {
            rescan = true;
        }
        if (rescan) {
            raised[k] = 0;
            capped[k] = 0;
            maxMin[k] = 0;
            minMax[k] = Integer.MAX_VALUE;
            atMin[k] = 0;
            atMax[k] = 0;
            for (int u = head[k]; u >= 0; u = next[u]) {
                addBounds(k, u);
            }
        }
    }

    private void clearBounds(int k) {
        maxMin[k] = 0;
        minMax[k] = Integer.MAX_VALUE;
        atMin[k] = 0;
        atMax[k] = 0;
        raised[k] = 0;
        capped[k] = 0;
    }

    private static long pack(int mn, int mx) {
        return ((long) mn << 32) | (mx & 0xffffffffL);
    }

    private static int packedMin(long b) {
        return (int) (b >>> 32);
    }

    private static int packedMax(long b) {
        return (int) b;
    }

    private void link(int v, int k) {
        prev[v] = -1;
        next[v] = head[k];
        if (head[k] >= 0) {
            prev[head[k]] = v;
        }
        head[k] = v;
        count[k]++;
    }

    private void unlink(int v, int k) {
        if (prev[v] >= 0) {
            next[prev[v]] = next[v];
        } else {
            head[k] = next[v];
        }
        if (next[v] >= 0) {
            prev[next[v]] = prev[v];
        }
        count[k]--;
    }

    double groupCost(int k) {
        return rules.cost(base[k] + cut[k], mem[k], maxMin[k], minMax[k]);
    }

    boolean groupFits(int k) {
        return rules.fits(base[k] + cut[k], mem[k], maxMin[k], minMax[k], labels[k]);
    }

    /** Removes an empty group id from the free stack (usually the top; FM may open one computed earlier). */
    private void takeFree(int k) {
        for (int i = freeTop - 1; i >= 0; i--) {
            if (free[i] == k) {
                System.arraycopy(free, i + 1, free, i, freeTop - 1 - i);
                freeTop--;
                return;
            }
        }
    }

    int peekFree() {
        return freeTop > 0 ? free[freeTop - 1] : -1;
    }

    /** Fills {@link #wTo} with v's edge weight into every neighbouring group. */
    void collect(int v) {
        leaving = -1;
        for (int i = g.adjStart[v]; i < g.adjStart[v + 1]; i++) {
            int k = groupOf[g.adjNode[i]];
            if (wTo[k] == 0) {
                touched[touchedCount++] = k;
            }
            wTo[k] += g.adjW[i];
        }
    }

    void clearCollected() {
        leaving = -1;
        for (int i = 0; i < touchedCount; i++) {
            wTo[touched[i]] = 0;
        }
        touchedCount = 0;
    }

    boolean separatedFrom(int v, int k) {
        for (int s : g.separated[v]) {
            if (groupOf[s] == k) {
                return true;
            }
        }
        return false;
    }

    /**
     * Cost change of moving v into group b (an empty id opens a new group), or NaN when the result breaks a
     * limit. Requires {@link #collect(int)} for v.
     */
    double moveDelta(int v, int b) {
        int a = groupOf[v];
        if (a == b || separatedFrom(v, b)) {
            return Double.NaN;
        }
        double half = g.totalW[v] / 2;
        double costA = 0;
        if (count[a] > 1) {
            if (leaving == v) {
                costA = leftCost;
            } else {
                long bounds = boundsWithout(a, v);
                int mnA = packedMin(bounds);
                int mxA = packedMax(bounds);
                Set<String> la = g.labels.get(v).isEmpty() ? labels[a] : labelsWithout(a, v);
                double cpuA = base[a] - g.cpu[v] + cut[a] - half + wTo[a];
                double memA = mem[a] - g.mem[v];
                costA = rules.costIfFits(cpuA, memA, mnA, mxA, la);
                leaving = v;
                leftCost = costA;
            }
            if (Double.isNaN(costA)) {
                return Double.NaN;
            }
        }
        double cpuB = base[b] + g.cpu[v] + cut[b] + half - wTo[b];
        double memB = mem[b] + g.mem[v];
        int mn = Math.max(maxMin[b], g.maxMin[v]);
        int mx = Math.min(minMax[b], g.minMax[v]);
        Set<String> lb = GroupRules.union(labels[b], g.labels.get(v));
        // NaN (a limit broken) propagates through the sum.
        return costA + rules.costIfFits(cpuB, memB, mn, mx, lb) - cost[a] - cost[b];
    }

    /** Applies a move; requires {@link #collect(int)} for v. */
    void move(int v, int b) {
        leaving = -1;
        int a = groupOf[v];
        if (count[b] == 0) {
            takeFree(b);
        }
        double half = g.totalW[v] / 2;
        total -= cost[a] + cost[b];
        // Edges from v to its old group become cut, edges to its new group stop being cut.
        cut[a] += -half + wTo[a];
        cut[b] += half - wTo[b];
        // Edges from v to any third group stay cut, and their half stays with that group.
        unlink(v, a);
        base[a] -= g.cpu[v];
        mem[a] -= g.mem[v];
        groupOf[v] = b;
        link(v, b);
        base[b] += g.cpu[v];
        mem[b] += g.mem[v];
        addBounds(b, v);
        labels[b] = GroupRules.union(labels[b], g.labels.get(v));
        if (count[a] == 0) {
            base[a] = 0;
            cut[a] = 0;
            mem[a] = 0;
            clearBounds(a);
            labels[a] = Set.of();
            cost[a] = 0;
            free[freeTop++] = a;
        } else {
            removeBounds(a, v);
            if (!g.labels.get(v).isEmpty()) {
                labels[a] = labelsWithout(a, -1);
            }
            cost[a] = groupCost(a);
        }
        cost[b] = groupCost(b);
        total += cost[a] + cost[b];
        if (spare != null) {
            spare.update(a);
            spare.update(b);
        }
    }

    /** Cost change of merging groups a and b joined by edge weight w, or NaN when not allowed. */
    double mergeDelta(int a, int b, double w) {
        if (count[a] > count[b]) {
            int t = a;
            a = b;
            b = t;
        }
        for (int v = head[a]; v >= 0; v = next[v]) {
            if (separatedFrom(v, b)) {
                return Double.NaN;
            }
        }
        double cpu = base[a] + base[b] + cut[a] + cut[b] - w;
        double m = mem[a] + mem[b];
        int mn = Math.max(maxMin[a], maxMin[b]);
        int mx = Math.min(minMax[a], minMax[b]);
        Set<String> l = GroupRules.union(labels[a], labels[b]);
        return rules.costIfFits(cpu, m, mn, mx, l) - cost[a] - cost[b];
    }

    /** Merges the smaller group into the larger; returns the surviving id. */
    int merge(int a, int b, double w) {
        leaving = -1;
        if (count[a] < count[b]) {
            int t = a;
            a = b;
            b = t;
        }
        total -= cost[a] + cost[b];
        base[a] += base[b];
        cut[a] += cut[b] - w;
        mem[a] += mem[b];
        int mn = Math.max(maxMin[a], maxMin[b]);
        int mx = Math.min(minMax[a], minMax[b]);
        atMin[a] = (maxMin[a] == mn ? atMin[a] : 0) + (maxMin[b] == mn ? atMin[b] : 0);
        atMax[a] = (minMax[a] == mx ? atMax[a] : 0) + (minMax[b] == mx ? atMax[b] : 0);
        raised[a] += raised[b];
        capped[a] += capped[b];
        maxMin[a] = mn;
        minMax[a] = mx;
        labels[a] = GroupRules.union(labels[a], labels[b]);
        int v = head[b];
        while (v >= 0) {
            int nx = next[v];
            unlink(v, b);
            groupOf[v] = a;
            link(v, a);
            v = nx;
        }
        base[b] = 0;
        cut[b] = 0;
        mem[b] = 0;
        clearBounds(b);
        labels[b] = Set.of();
        cost[b] = 0;
        free[freeTop++] = b;
        cost[a] = groupCost(a);
        total += cost[a];
        if (spare != null) {
            spare.update(a);
            spare.update(b);
        }
        return a;
    }

    /** {maxMin, minMax} of group k without member skip, packed (see {@link #pack}). */
    private long boundsWithout(int k, int skip) {
        boolean minStays = g.maxMin[skip] < maxMin[k] || atMin[k] > 1;
        boolean maxStays = g.minMax[skip] > minMax[k] || atMax[k] > 1;
        // Without skip, a bound it alone attained falls back to the default when no other member moves it.
        boolean minKnown = minStays || raised[k] == (g.maxMin[skip] > 1 ? 1 : 0);
        boolean maxKnown = maxStays || capped[k] == (g.minMax[skip] != Integer.MAX_VALUE ? 1 : 0);
        if (minKnown && maxKnown) {
            return pack(minStays ? maxMin[k] : 1, maxStays ? minMax[k] : Integer.MAX_VALUE);
        }
        int mn = 0;
        int mx = Integer.MAX_VALUE;
        for (int u = head[k]; u >= 0; u = next[u]) {
            if (u != skip) {
                mn = Math.max(mn, g.maxMin[u]);
                mx = Math.min(mx, g.minMax[u]);
            }
        }
        return pack(mn, mx);
    }

    private Set<String> labelsWithout(int k, int skip) {
        Set<String> l = Set.of();
        for (int u = head[k]; u >= 0; u = next[u]) {
            if (u != skip) {
                l = GroupRules.union(l, g.labels.get(u));
            }
        }
        return l;
    }

    GroupRules rules() {
        return rules;
    }

    /** Writes the members of group k into out (in list order) and returns how many there are. */
    int fillMembers(int k, int[] out) {
        int i = 0;
        for (int v = head[k]; v >= 0; v = next[v]) {
            out[i++] = v;
        }
        return i;
    }

    /** Members of group k, in its list order. */
    int[] members(int k) {
        int[] out = new int[count[k]];
        int i = 0;
        for (int v = head[k]; v >= 0; v = next[v]) {
            out[i++] = v;
        }
        return out;
    }

    /** True when every group meets its limits (separations are kept by every move and merge anyway). */
    boolean allFit() {
        for (int k = 0; k < g.n; k++) {
            if (count[k] > 0 && !groupFits(k)) {
                return false;
            }
        }
        return true;
    }

    /** The spare-room index of this partition, built on first use and kept current from then on. */
    SpareIndex spareIndex() {
        SpareIndex s = spare;
        if (s == null) {
            s = new SpareIndex(this, rules.model());
            spare = s;
        }
        return s;
    }

    int[] snapshot() {
        return groupOf.clone();
    }

    List<Integer> activeGroups() {
        List<Integer> out = new java.util.ArrayList<>();
        for (int k = 0; k < g.n; k++) {
            if (count[k] > 0) {
                out.add(k);
            }
        }
        return out;
    }
}
