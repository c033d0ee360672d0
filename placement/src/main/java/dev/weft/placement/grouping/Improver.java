package dev.weft.placement.grouping;

import java.util.random.RandomGenerator;

/**
 * The anytime phase of the heuristic: iterated local search on an allowed grouping until a budget of work is
 * spent. Each round kicks the current grouping (moves a small connected part of a group elsewhere, merges two
 * groups, splits one, sheds just enough of one into a new group that it needs a replica fewer, dissolves one into
 * the others, or swaps two components), re-descends only where the kick
 * changed something, and keeps the result when it costs no more than before (otherwise the round is undone from a
 * log). The descent offers every component the groups it calls, a new group, and — from a {@link SpareIndex} —
 * the fullest group that still has room for it at each replica count, which is the bin-packing move that fills
 * half-empty replicas; groups are offered merges with the groups they call and with the best-fitting groups.
 *
 * <p>Work is counted in units (one per candidate move or merge priced, plus one per adjacency entry read), never in
 * time, so the same input, seed and budget give the same grouping on any machine.
 */
final class Improver {
    private static final double EPS = 1e-12;
    private final Partition p;
    private final Graph g;
    private final RandomGenerator random;
    private final long budget;
    private final SpareIndex spare;
    private long work;
    // FIFO worklist of nodes to re-examine
    private final int[] queue;
    private final boolean[] queued;
    private int head;
    private int size;
    // Groups whose totals changed since the last merge phase
    private final int[] dirty;
    private final boolean[] isDirty;
    private int dirtyCount;
    // Undo log of the current round: node and the group it came from
    private int[] logNode;
    private int[] logFrom;
    private int logSize;
    private final int[] scratch;
    private final double[] link; // scratch of shed: per member, weight to the part moved minus weight to the rest
    private final double perReplica;

    Improver(Partition p, RandomGenerator random, long budget) {
        this.p = p;
        this.g = p.g;
        this.random = random;
        this.budget = budget;
        this.spare = p.spareIndex();
        int n = g.n;
        queue = new int[Math.max(1, n)];
        queued = new boolean[n];
        dirty = new int[n];
        isDirty = new boolean[n];
        logNode = new int[64];
        logFrom = new int[64];
        scratch = new int[n];
        link = new double[n];
        perReplica = p.rules().model().replicaCpuMax() * p.rules().model().targetUtilization();
    }

    long work() {
        return work;
    }

    /** The partition the search works on (for tests: its aggregates after kicks and undos). */
    Partition partition() {
        return p;
    }

    /**
     * Improves p in place (p must be allowed) and returns the best grouping seen. Stops when the budget is spent or
     * when {@code patience} units passed without a new best (the search has settled; small inputs stop early).
     */
    int[] run(long patience) {
        int n = g.n;
        for (int v = 0; v < n; v++) {
            push(v);
        }
        descend();
        int[] best = p.snapshot();
        double bestCost = p.total;
        if (n < 2) {
            return best;
        }
        long lastBest = work;
        while (work < budget && work - lastBest <= patience) {
            double before = p.total;
            logSize = 0;
            kick();
            descend();
            if (p.total < bestCost - EPS * Math.max(1, bestCost)) {
                best = p.snapshot();
                bestCost = p.total;
                lastBest = work;
            }
            // Equal cost is kept: walking a plateau is how the search gets from one basin to the next.
            if (p.total > before + EPS * Math.max(1, before)) {
                undo();
            }
        }
        return best;
    }

    private void push(int v) {
        if (!queued[v]) {
            queued[v] = true;
            queue[(head + size++) % queue.length] = v;
        }
    }

    private int pop() {
        int v = queue[head];
        head = (head + 1) % queue.length;
        size--;
        queued[v] = false;
        return v;
    }

    private void markDirty(int k) {
        if (!isDirty[k]) {
            isDirty[k] = true;
            dirty[dirtyCount++] = k;
        }
    }

    /** Greedy descent from the worklist (node moves), then merges of the groups that changed, until neither helps. */
    private void descend() {
        while (work < budget) {
            while (size > 0 && work < budget) {
                improveNode(pop());
            }
            if (!mergePhase()) {
                return;
            }
        }
        // Out of budget: leave the worklist and dirty set empty for whoever reads them next.
        while (size > 0) {
            pop();
        }
        clearDirty();
    }

    private void clearDirty() {
        for (int i = 0; i < dirtyCount; i++) {
            isDirty[dirty[i]] = false;
        }
        dirtyCount = 0;
    }

    /** Moves v to its best target when that lowers the cost. */
    private void improveNode(int v) {
        p.collect(v);
        int a = p.groupOf[v];
        work += 1 + g.adjStart[v + 1] - g.adjStart[v];
        int target = -1;
        double best = -EPS * Math.max(1, p.total);
        for (int i = 0; i < p.touchedCount; i++) {
            int b = p.touched[i];
            if (b != a) {
                double d = delta(v, b);
                if (d < best) {
                    best = d;
                    target = b;
                }
            }
        }
        // Non-adjacent groups only gain v's work plus all its edges (as cut): offer the best fit at every level.
        double need = g.cpu[v] + g.totalW[v] / 2;
        for (int l = 0; l < SpareIndex.LEVELS; l++) {
            int b = fitOtherThan(l, need, a);
            if (b >= 0) {
                double d = delta(v, b);
                if (d < best) {
                    best = d;
                    target = b;
                }
            }
        }
        int fresh = p.peekFree();
        if (p.count[a] > 1 && fresh >= 0) {
            double d = delta(v, fresh);
            if (d < best) {
                best = d;
                target = fresh;
            }
        }
        if (target >= 0) {
            apply(v, target);
        }
        p.clearCollected();
    }

    /**
     * The best-fitting group of a level for {@code need} that is neither {@code a} nor adjacent to what is collected
     * (those are priced with their real edge weights anyway), looking at most three groups along; -1 if none.
     */
    private int fitOtherThan(int level, double need, int a) {
        int b = spare.bestFit(level, need);
        for (int tries = 0; b >= 0 && tries < 3; tries++) {
            if (b != a && p.wTo[b] == 0) {
                return b;
            }
            b = spare.next(b);
        }
        return -1;
    }

    private double delta(int v, int b) {
        work++;
        double d = p.moveDelta(v, b);
        return Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
    }

    /** Applies a move (v collected), logs it, and queues what it may have changed. */
    private void apply(int v, int b) {
        int a = p.groupOf[v];
        int ra = replicas(a);
        int rb = replicas(b);
        if (logSize == logNode.length) {
            logNode = java.util.Arrays.copyOf(logNode, 2 * logSize);
            logFrom = java.util.Arrays.copyOf(logFrom, 2 * logSize);
        }
        logNode[logSize] = v;
        logFrom[logSize++] = a;
        p.move(v, b);
        markDirty(a);
        markDirty(b);
        for (int i = g.adjStart[v]; i < g.adjStart[v + 1]; i++) {
            push(g.adjNode[i]);
        }
        // The group v left is closer to shedding a replica: its members may now leave with a gain, unless it is down
        // to one replica (nothing left to shed; its members' moves only changed through v's edges, queued above).
        // The group v joined only changes for its members when it gained (or lost) a replica.
        if (replicas(a) > 1) {
            pushMembers(a);
        }
        if (replicas(b) != rb || replicas(a) != ra) {
            pushMembers(b);
        }
        work += g.adjStart[v + 1] - g.adjStart[v];
    }

    private int replicas(int k) {
        return p.count[k] == 0 ? 0 : p.rules().model().replicas(p.base[k] + p.cut[k], p.maxMin[k], p.minMax[k]);
    }

    private void pushMembers(int k) {
        if (p.count[k] == 0) {
            return;
        }
        int m = p.fillMembers(k, scratch);
        work += m;
        for (int i = 0; i < m; i++) {
            push(scratch[i]);
        }
    }

    /** Moves v to b whether or not it pays (a kick); false when the move breaks a limit. */
    private boolean force(int v, int b) {
        if (b < 0 || b == p.groupOf[v]) {
            return false;
        }
        p.collect(v);
        work += 1 + g.adjStart[v + 1] - g.adjStart[v];
        boolean ok = !Double.isNaN(p.moveDelta(v, b));
        if (ok) {
            apply(v, b);
        }
        p.clearCollected();
        return ok;
    }

    private void undo() {
        for (int i = logSize - 1; i >= 0; i--) {
            int v = logNode[i];
            p.collect(v);
            p.move(v, logFrom[i]);
            p.clearCollected();
            work += 1 + g.adjStart[v + 1] - g.adjStart[v];
        }
        logSize = 0;
    }

    /** Tries, for every group that changed, its best merge; true when one was applied. */
    private boolean mergePhase() {
        boolean any = false;
        int count = dirtyCount;
        int[] groups = java.util.Arrays.copyOf(dirty, count);
        clearDirty();
        for (int i = 0; i < count && work < budget; i++) {
            int a = groups[i];
            if (p.count[a] > 0 && bestMerge(a)) {
                any = true;
            }
        }
        return any;
    }

    /** Applies group a's best improving merge (with a group it calls or a best-fitting one); true if it did. */
    private boolean bestMerge(int a) {
        int m = p.fillMembers(a, scratch);
        for (int i = 0; i < m; i++) {
            p.collect(scratch[i]);
            work += 1 + g.adjStart[scratch[i] + 1] - g.adjStart[scratch[i]];
        }
        int target = -1;
        double best = -EPS * Math.max(1, p.total);
        for (int i = 0; i < p.touchedCount; i++) {
            int b = p.touched[i];
            if (b != a) {
                double d = mergeDelta(a, b, p.wTo[b]);
                if (d < best) {
                    best = d;
                    target = b;
                }
            }
        }
        double need = p.base[a] + p.cut[a];
        for (int l = 0; l < SpareIndex.LEVELS; l++) {
            int b = fitOtherThan(l, need, a);
            if (b >= 0) {
                double d = mergeDelta(a, b, 0);
                if (d < best) {
                    best = d;
                    target = b;
                }
            }
        }
        p.clearCollected();
        if (target < 0) {
            return false;
        }
        mergeByMoves(a, target);
        return true;
    }

    private double mergeDelta(int a, int b, double w) {
        work += 1 + Math.min(p.count[a], p.count[b]);
        double d = p.mergeDelta(a, b, w);
        return Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
    }

    /** Merges a into b one member at a time (so the round's log can undo it); members of b are queued. */
    private void mergeByMoves(int a, int b) {
        int small = p.count[a] <= p.count[b] ? a : b;
        int other = small == a ? b : a;
        int m = p.fillMembers(small, scratch);
        int[] moving = java.util.Arrays.copyOf(scratch, m);
        for (int v : moving) {
            p.collect(v);
            // Intermediate states may break a limit (half a must-share merge); the end state was priced as allowed.
            logAndMove(v, other);
            p.clearCollected();
        }
        pushMembers(other);
        markDirty(other);
    }

    private void logAndMove(int v, int b) {
        if (logSize == logNode.length) {
            logNode = java.util.Arrays.copyOf(logNode, 2 * logSize);
            logFrom = java.util.Arrays.copyOf(logFrom, 2 * logSize);
        }
        logNode[logSize] = v;
        logFrom[logSize++] = p.groupOf[v];
        p.move(v, b);
        work += 1 + g.adjStart[v + 1] - g.adjStart[v];
        for (int i = g.adjStart[v]; i < g.adjStart[v + 1]; i++) {
            push(g.adjNode[i]);
        }
    }

    /** One random perturbation of the current grouping, every step allowed. */
    private void kick() {
        int v = random.nextInt(g.n);
        if (g.adjStart[g.n] > 0 && random.nextBoolean()) {
            // Half the kicks start on the boundary, where a cut edge joins two groups: that is where gains are.
            for (int tries = 0; tries < 8; tries++) {
                int e = random.nextInt(g.adjStart[g.n]);
                int u = g.adjNode[e];
                int x = ownerOf(e);
                if (p.groupOf[u] != p.groupOf[x]) {
                    v = x;
                    break;
                }
            }
        }
        int a = p.groupOf[v];
        int kind = random.nextInt(10);
        if (kind < 3) {
            moveCluster(v, pickTarget(v));
        } else if (kind < 5) {
            int b = pickTarget(v);
            if (b >= 0 && p.count[b] > 0) {
                forceMerge(a, b);
            }
        } else if (kind < 6) {
            split(v);
        } else if (kind < 7) {
            dissolve(a);
        } else if (kind < 8) {
            shed(v);
        } else {
            swap(v);
        }
    }

    /** The node whose adjacency list holds entry e (binary search over adjStart). */
    private int ownerOf(int e) {
        int lo = 0;
        int hi = g.n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (g.adjStart[mid] <= e) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** A group for v to go to: a neighbour's, a best fit, or a new one. */
    private int pickTarget(int v) {
        int deg = g.adjStart[v + 1] - g.adjStart[v];
        double x = random.nextDouble();
        if (x < 0.6 && deg > 0) {
            return p.groupOf[g.adjNode[g.adjStart[v] + random.nextInt(deg)]];
        }
        if (x < 0.85) {
            int b = spare.bestFit(random.nextInt(SpareIndex.LEVELS), g.cpu[v] + g.totalW[v] / 2);
            if (b >= 0) {
                return b;
            }
        }
        return p.count[p.groupOf[v]] > 1 ? p.peekFree() : -1;
    }

    /** Moves v and up to three of its neighbours in the same group to b (a new group when b is empty). */
    private void moveCluster(int v, int b) {
        int a = p.groupOf[v];
        if (b < 0 || b == a || !force(v, b)) {
            return;
        }
        int target = p.groupOf[v]; // b, also when b was a free id just taken
        int extra = random.nextInt(4);
        for (int i = g.adjStart[v]; i < g.adjStart[v + 1] && extra > 0; i++) {
            int u = g.adjNode[i];
            if (p.groupOf[u] == a && random.nextBoolean()) {
                force(u, target);
                extra--;
            }
        }
    }

    private void forceMerge(int a, int b) {
        if (a == b || p.count[a] == 0 || p.count[b] == 0) {
            return;
        }
        double w = between(a, b);
        work += 1 + Math.min(p.count[a], p.count[b]);
        if (!Double.isNaN(p.mergeDelta(a, b, w))) {
            mergeByMoves(a, b);
        }
    }

    private double between(int a, int b) {
        int small = p.count[a] <= p.count[b] ? a : b;
        int other = small == a ? b : a;
        double w = 0;
        int m = p.fillMembers(small, scratch);
        for (int i = 0; i < m; i++) {
            int u = scratch[i];
            for (int e = g.adjStart[u]; e < g.adjStart[u + 1]; e++) {
                if (p.groupOf[g.adjNode[e]] == other) {
                    w += g.adjW[e];
                }
            }
            work += 1 + g.adjStart[u + 1] - g.adjStart[u];
        }
        return w;
    }

    /** Moves a connected part of v's group, grown from v up to about half the group's work, into a new group. */
    private void split(int v) {
        int a = p.groupOf[v];
        if (p.count[a] < 2) {
            return;
        }
        double half = p.base[a] / 2;
        int fresh = p.peekFree();
        if (fresh < 0 || !force(v, fresh)) {
            return;
        }
        int target = p.groupOf[v];
        double moved = g.cpu[v];
        // Breadth-first over members of a, in adjacency order.
        int[] frontier = new int[p.count[a] + 1];
        int fh = 0;
        int ft = 0;
        frontier[ft++] = v;
        while (fh < ft && moved < half && p.count[a] > 1) {
            int u = frontier[fh++];
            for (int i = g.adjStart[u]; i < g.adjStart[u + 1] && moved < half && p.count[a] > 1; i++) {
                int x = g.adjNode[i];
                if (p.groupOf[x] == a && ft < frontier.length && force(x, target)) {
                    moved += g.cpu[x];
                    frontier[ft++] = x;
                }
            }
            work += g.adjStart[u + 1] - g.adjStart[u];
        }
    }

    /** Moves every member of a (a small group) to its best other group, uphill if need be. */
    private void dissolve(int a) {
        if (p.count[a] > 16) {
            return;
        }
        int m = p.fillMembers(a, scratch);
        int[] members = java.util.Arrays.copyOf(scratch, m);
        for (int v : members) {
            p.collect(v);
            work += 1 + g.adjStart[v + 1] - g.adjStart[v];
            int target = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < p.touchedCount; i++) {
                int b = p.touched[i];
                if (b != a) {
                    double d = delta(v, b);
                    if (d < best) {
                        best = d;
                        target = b;
                    }
                }
            }
            double need = g.cpu[v] + g.totalW[v] / 2;
            for (int l = 0; l < SpareIndex.LEVELS; l++) {
                int b = fitOtherThan(l, need, a);
                if (b >= 0) {
                    double d = delta(v, b);
                    if (d < best) {
                        best = d;
                        target = b;
                    }
                }
            }
            if (target >= 0) {
                apply(v, target);
            }
            p.clearCollected();
        }
    }

    /**
     * Moves into a new group, grown from v, just enough of v's group that the group needs one replica fewer: each
     * step takes the member most tightly linked to the part already moved (edge weight to it minus edge weight to
     * what stays), so the cut stays small. A group whose replicas each hold much memory often costs least split that
     * way (a part with one replica fewer, the rest on its own), which single moves cannot reach: no one member's
     * leaving sheds the replica, and merging back is priced before the split pays off.
     */
    private void shed(int v) {
        int a = p.groupOf[v];
        int r = replicas(a);
        if (r < 2 || p.count[a] < 3) {
            return;
        }
        double limit = (r - 1) * perReplica;
        int fresh = p.peekFree();
        int m = p.fillMembers(a, scratch);
        int[] members = java.util.Arrays.copyOf(scratch, m);
        if (fresh < 0 || !force(v, fresh)) {
            return;
        }
        int target = p.groupOf[v];
        // link[u]: u's edge weight to the moved part minus its weight to the other members of a (a's members only).
        for (int u : members) {
            link[u] = 0;
        }
        for (int u : members) {
            for (int e = g.adjStart[u]; e < g.adjStart[u + 1]; e++) {
                int x = g.adjNode[e];
                if (x == v) {
                    link[u] += g.adjW[e];
                } else if (p.groupOf[x] == a) {
                    link[u] -= g.adjW[e];
                }
            }
            work += 1 + g.adjStart[u + 1] - g.adjStart[u];
        }
        for (int steps = 0; p.base[a] + p.cut[a] > limit && p.count[a] > 1 && steps < m; steps++) {
            int pick = -1;
            for (int u : members) {
                if (p.groupOf[u] == a && (pick < 0 || link[u] > link[pick])) {
                    pick = u;
                }
            }
            work += m;
            if (pick < 0 || !force(pick, target)) {
                return;
            }
            for (int e = g.adjStart[pick]; e < g.adjStart[pick + 1]; e++) {
                int x = g.adjNode[e];
                if (p.groupOf[x] == a) {
                    link[x] += 2 * g.adjW[e];
                }
            }
        }
    }

    /** Swaps v with a neighbour in another group. */
    private void swap(int v) {
        int deg = g.adjStart[v + 1] - g.adjStart[v];
        if (deg == 0) {
            return;
        }
        int u = g.adjNode[g.adjStart[v] + random.nextInt(deg)];
        int a = p.groupOf[v];
        int b = p.groupOf[u];
        if (a == b || p.count[a] < 2 || p.count[b] < 2) {
            return;
        }
        if (force(v, b) && !force(u, a)) {
            // u cannot take v's place: leave the half swap for the descent to judge.
            return;
        }
    }
}
