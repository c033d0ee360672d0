package dev.weft.placement.grouping;

import java.util.PriorityQueue;

/**
 * One Fiduccia–Mattheyses pass over a grouping: repeatedly applies the best single-node move even when it costs
 * more (each node moves at most once), keeps the gains of the moved node's neighbours fresh in a priority queue,
 * then rolls back to the cheapest prefix of the sequence. Greedy descent stops at the first uphill step; this
 * walks through it when a cheaper grouping lies behind.
 */
final class FmPass {
    private static final int PATIENCE = 64; // give up after this many moves without a new best

    private record Move(double delta, int node, int target, int version) {}

    private FmPass() {}

    /** Returns true when the pass lowered the cost. */
    static boolean run(Partition p) {
        Graph g = p.g;
        int n = g.n;
        double start = p.total;
        boolean[] locked = new boolean[n];
        int[] version = new int[n];
        PriorityQueue<Move> queue = new PriorityQueue<>((x, y) ->
                x.delta() != y.delta() ? Double.compare(x.delta(), y.delta()) : Integer.compare(x.node(), y.node()));
        for (int v = 0; v < n; v++) {
            offer(p, queue, v, version[v]);
        }
        int[] movedNode = new int[n];
        int[] movedFrom = new int[n];
        int moves = 0;
        int bestPrefix = 0;
        double best = start;
        while (!queue.isEmpty() && moves < n && moves - bestPrefix < PATIENCE) {
            Move m = queue.poll();
            int v = m.node();
            if (locked[v] || m.version() != version[v]) {
                continue;
            }
            int from = p.groupOf[v];
            p.collect(v);
            if (Double.isNaN(p.moveDelta(v, m.target()))) {
                p.clearCollected(); // the target changed since the gain was computed; look again
                version[v]++;
                offer(p, queue, v, version[v]);
                continue;
            }
            p.move(v, m.target());
            p.clearCollected();
            locked[v] = true;
            movedNode[moves] = v;
            movedFrom[moves] = from;
            moves++;
            if (p.total < best - 1e-12 * Math.max(1, Math.abs(best))) {
                best = p.total;
                bestPrefix = moves;
            }
            for (int i = g.adjStart[v]; i < g.adjStart[v + 1]; i++) {
                int u = g.adjNode[i];
                if (!locked[u]) {
                    version[u]++;
                    offer(p, queue, u, version[u]);
                }
            }
        }
        // Undo the moves after the best prefix, newest first, so freed group ids come back in stack order.
        for (int i = moves - 1; i >= bestPrefix; i--) {
            p.collect(movedNode[i]);
            p.move(movedNode[i], movedFrom[i]);
            p.clearCollected();
        }
        return bestPrefix > 0;
    }

    /** Queues v's best allowed move (to a neighbouring group or a new one), uphill or not. */
    private static void offer(Partition p, PriorityQueue<Move> queue, int v, int version) {
        p.collect(v);
        int a = p.groupOf[v];
        double bestDelta = Double.POSITIVE_INFINITY;
        int target = -1;
        for (int i = 0; i < p.touchedCount; i++) {
            int b = p.touched[i];
            if (b != a) {
                double d = p.moveDelta(v, b);
                if (d < bestDelta) {
                    bestDelta = d;
                    target = b;
                }
            }
        }
        int fresh = p.peekFree();
        if (p.count[a] > 1 && fresh >= 0) {
            double d = p.moveDelta(v, fresh);
            if (d < bestDelta) {
                bestDelta = d;
                target = fresh;
            }
        }
        p.clearCollected();
        if (target >= 0) {
            queue.add(new Move(bestDelta, v, target, version));
        }
    }
}
