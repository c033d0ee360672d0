package dev.weft.bench.placement;

import static java.util.Objects.requireNonNull;

import dev.weft.placement.grouping.AgentLimits;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The reference search's own strategy: simulated annealing over single-component moves and group merges, written
 * apart from the planner's search (its own graph, bookkeeping and moves) so the best-known groupings do not share
 * the planner's blind spots. It prices and limits groups with the planner's {@link GroupRules} (the documented
 * cost model and agent limits), keeps must-colocate sets together and must-separate pairs apart, and only ever
 * holds allowed groupings.
 */
final class Annealer {
    private final GroupRules rules;
    private final int n;
    private final int[] nodeOfComponent;
    private final double[] cpu;
    private final double[] mem;
    private final int[] nMin;
    private final int[] nMax;
    private final List<Set<String>> pins;
    private final int[][] apart;
    private final int[] adjStart;
    private final int[] adjNode;
    private final double[] adjW;
    private final double[] totalW;

    // State: group aggregates and member lists.
    private final int[] groupOf;
    private final double[] base;
    private final double[] cut;
    private final double[] gMem;
    private final int[] gMin;
    private final int[] gMax;
    private final Set<String>[] gPins;
    private final double[] gCost;
    private final int[][] members;
    private final int[] size;
    private final int[] pos;
    private final int[] free;
    private int freeTop;
    private double total;
    private final double[] wTo;
    private final int[] touched;
    private int touchedCount;
    // Moves since the best snapshot (node, group), so a new best costs O(1) to remember instead of a copy.
    private int[] logNode = new int[16];
    private int[] logGroup = new int[16];
    private int logSize;

    @SuppressWarnings("unchecked")
    Annealer(Problem p) {
        rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
        List<Component> comps = p.components();
        int c = comps.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < c; i++) {
            index.put(comps.get(i).name(), i);
        }
        int[] parent = new int[c];
        for (int i = 0; i < c; i++) {
            parent[i] = i;
        }
        for (Set<String> set : p.constraints().mustColocate()) {
            int first = -1;
            for (String name : new TreeSet<>(set)) {
                int i = requireNonNull(index.get(name));
                if (first < 0) {
                    first = i;
                } else {
                    parent[find(parent, i)] = find(parent, first);
                }
            }
        }
        nodeOfComponent = new int[c];
        int[] rootNode = new int[c];
        Arrays.fill(rootNode, -1);
        int count = 0;
        for (int i = 0; i < c; i++) {
            int root = find(parent, i);
            if (rootNode[root] < 0) {
                rootNode[root] = count++;
            }
            nodeOfComponent[i] = rootNode[root];
        }
        n = count;
        cpu = new double[n];
        mem = new double[n];
        nMin = new int[n];
        nMax = new int[n];
        Arrays.fill(nMax, Integer.MAX_VALUE);
        pins = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            pins.add(Set.of());
        }
        for (int i = 0; i < c; i++) {
            Component comp = comps.get(i);
            int v = nodeOfComponent[i];
            cpu[v] += comp.cpu();
            mem[v] += comp.mem();
            nMin[v] = Math.max(nMin[v], comp.minReplicas());
            nMax[v] = Math.min(nMax[v], comp.maxReplicas());
            String pin = p.constraints().pins().get(comp.name());
            if (pin != null) {
                TreeSet<String> s = new TreeSet<>(pins.get(v));
                s.add(pin);
                pins.set(v, Set.copyOf(s));
            }
        }
        List<List<Integer>> sep = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            sep.add(new ArrayList<>());
        }
        for (Separation s : p.constraints().mustSeparate()) {
            int a = nodeOfComponent[requireNonNull(index.get(s.a()))];
            int b = nodeOfComponent[requireNonNull(index.get(s.b()))];
            sep.get(a).add(b);
            sep.get(b).add(a);
        }
        apart = new int[n][];
        for (int v = 0; v < n; v++) {
            apart[v] = sep.get(v).stream().mapToInt(Integer::intValue).toArray();
        }
        Map<Long, Double> w = new HashMap<>();
        for (Edge e : p.edges()) {
            int a = nodeOfComponent[requireNonNull(index.get(e.caller()))];
            int b = nodeOfComponent[requireNonNull(index.get(e.callee()))];
            double x = p.costModel().edgeCores(e.callsPerSecond(), e.bytesPerSecond());
            if (a != b && x > 0) {
                w.merge(a < b ? ((long) a << 32) | b : ((long) b << 32) | a, x, Double::sum);
            }
        }
        long[] keys = w.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        int[] degree = new int[n];
        for (long k : keys) {
            degree[(int) (k >>> 32)]++;
            degree[(int) k]++;
        }
        adjStart = new int[n + 1];
        for (int v = 0; v < n; v++) {
            adjStart[v + 1] = adjStart[v] + degree[v];
        }
        adjNode = new int[adjStart[n]];
        adjW = new double[adjStart[n]];
        totalW = new double[n];
        int[] fill = Arrays.copyOf(adjStart, n);
        for (long k : keys) {
            int a = (int) (k >>> 32);
            int b = (int) k;
            double x = requireNonNull(w.get(k));
            adjNode[fill[a]] = b;
            adjW[fill[a]++] = x;
            adjNode[fill[b]] = a;
            adjW[fill[b]++] = x;
            totalW[a] += x;
            totalW[b] += x;
        }
        groupOf = new int[n];
        base = new double[n];
        cut = new double[n];
        gMem = new double[n];
        gMin = new int[n];
        gMax = new int[n];
        gPins = new Set[n];
        gCost = new double[n];
        members = new int[n][];
        size = new int[n];
        pos = new int[n];
        free = new int[n];
        wTo = new double[n];
        touched = new int[n];
    }

    /**
     * A lower bound on the cost of every allowed grouping: all useful work at the target utilisation; the fewest
     * replicas that work needs, each with its process overhead (ceil(work ÷ (replicaCpuMax × targetUtilization)),
     * or, when some component caps its replicas, ceil(work ÷ (targetUtilization × (largest free agent cpu −
     * processCpu))), since a capped group's replicas may carry more than replicaCpuMax each, up to an agent); and
     * every must-colocate set's memory in as many replicas as its own cpu and replica bounds force, wherever it
     * goes. Cut edges count nothing, so the bound is loose where calls are heavy.
     */
    double lowerBound(Problem p) {
        var m = rules.model();
        double work = 0;
        int globalMax = Integer.MAX_VALUE;
        int mostMin = 1;
        for (int v = 0; v < n; v++) {
            work += cpu[v];
            globalMax = Math.min(globalMax, nMax[v]);
            mostMin = Math.max(mostMin, nMin[v]);
        }
        double largest = p.agents().stream().mapToDouble(a -> a.freeCpu()).max().orElse(0);
        double perReplica = globalMax == Integer.MAX_VALUE
                ? m.replicaCpuMax() * m.targetUtilization()
                : Math.max(m.replicaCpuMax(), largest - m.processCpu()) * m.targetUtilization();
        double memory = 0;
        for (int v = 0; v < n; v++) {
            int r = Math.max(nMin[v], Math.min(m.replicasForCpu(cpu[v]), globalMax));
            memory += r * mem[v];
        }
        int replicas = n == 0 ? 0 : Math.max(mostMin, (int) Math.ceil(work / perReplica - 1e-9));
        return m.price(work / m.targetUtilization() + replicas * m.processCpu(), memory + replicas * m.processMem());
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Node-level groups of a component-level grouping (must-colocate sets must already share a group). */
    int[] toNodes(int[] componentGroups) {
        int[] out = new int[n];
        for (int i = 0; i < componentGroups.length; i++) {
            out[nodeOfComponent[i]] = componentGroups[i];
        }
        return out;
    }

    int[] toComponents(int[] nodeGroups) {
        int[] out = new int[nodeOfComponent.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = nodeGroups[nodeOfComponent[i]];
        }
        return out;
    }

    private void load(int[] start) {
        Arrays.fill(size, 0);
        for (int k = 0; k < n; k++) {
            members[k] = new int[4];
            base[k] = 0;
            cut[k] = 0;
            gMem[k] = 0;
            gMin[k] = 0;
            gMax[k] = Integer.MAX_VALUE;
            gPins[k] = Set.of();
            gCost[k] = 0;
        }
        int[] renumber = new int[n];
        Arrays.fill(renumber, -1);
        int groups = 0;
        for (int v = 0; v < n; v++) {
            if (renumber[start[v]] < 0) {
                renumber[start[v]] = groups++;
            }
            int k = renumber[start[v]];
            groupOf[v] = k;
            addMember(k, v);
            base[k] += cpu[v];
            gMem[k] += mem[v];
            gMin[k] = Math.max(gMin[k], nMin[v]);
            gMax[k] = Math.min(gMax[k], nMax[v]);
            gPins[k] = union(gPins[k], pins.get(v));
        }
        for (int v = 0; v < n; v++) {
            for (int i = adjStart[v]; i < adjStart[v + 1]; i++) {
                if (groupOf[adjNode[i]] != groupOf[v]) {
                    cut[groupOf[v]] += adjW[i] / 2;
                }
            }
        }
        freeTop = 0;
        total = 0;
        for (int k = n - 1; k >= 0; k--) {
            if (size[k] == 0) {
                free[freeTop++] = k;
            } else {
                gCost[k] = rules.cost(base[k] + cut[k], gMem[k], gMin[k], gMax[k]);
                total += gCost[k];
            }
        }
    }

    private void addMember(int k, int v) {
        if (size[k] == members[k].length) {
            members[k] = Arrays.copyOf(members[k], 2 * size[k]);
        }
        pos[v] = size[k];
        members[k][size[k]++] = v;
    }

    private void removeMember(int k, int v) {
        int last = members[k][--size[k]];
        members[k][pos[v]] = last;
        pos[last] = pos[v];
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        if (b.isEmpty() || a.containsAll(b)) {
            return a;
        }
        TreeSet<String> s = new TreeSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    private void collect(int v) {
        for (int i = adjStart[v]; i < adjStart[v + 1]; i++) {
            int k = groupOf[adjNode[i]];
            if (wTo[k] == 0) {
                touched[touchedCount++] = k;
            }
            wTo[k] += adjW[i];
        }
    }

    private void clear() {
        for (int i = 0; i < touchedCount; i++) {
            wTo[touched[i]] = 0;
        }
        touchedCount = 0;
    }

    private boolean separated(int v, int k) {
        for (int s : apart[v]) {
            if (groupOf[s] == k) {
                return true;
            }
        }
        return false;
    }

    /** Bounds and pins of group k without member skip: {min, max} and the pins go to the out parameters. */
    private int[] boundsWithout(int k, int skip) {
        int mn = 0;
        int mx = Integer.MAX_VALUE;
        for (int i = 0; i < size[k]; i++) {
            int u = members[k][i];
            if (u != skip) {
                mn = Math.max(mn, nMin[u]);
                mx = Math.min(mx, nMax[u]);
            }
        }
        return new int[] {mn, mx};
    }

    private Set<String> pinsWithout(int k, int skip) {
        Set<String> out = Set.of();
        for (int i = 0; i < size[k]; i++) {
            int u = members[k][i];
            if (u != skip) {
                out = union(out, pins.get(u));
            }
        }
        return out;
    }

    /** Cost change of moving v to group b (an empty group opens it), NaN when a limit breaks; needs collect(v). */
    private double moveDelta(int v, int b) {
        int a = groupOf[v];
        if (a == b || separated(v, b)) {
            return Double.NaN;
        }
        double half = totalW[v] / 2;
        double costA = 0;
        if (size[a] > 1) {
            int[] bounds = nMin[v] < gMin[a] && nMax[v] > gMax[a] ? new int[] {gMin[a], gMax[a]} : boundsWithout(a, v);
            Set<String> la = pins.get(v).isEmpty() ? gPins[a] : pinsWithout(a, v);
            double cpuA = base[a] - cpu[v] + cut[a] - half + wTo[a];
            double memA = gMem[a] - mem[v];
            if (!rules.fits(cpuA, memA, bounds[0], bounds[1], la)) {
                return Double.NaN;
            }
            costA = rules.cost(cpuA, memA, bounds[0], bounds[1]);
        }
        double cpuB = base[b] + cpu[v] + cut[b] + half - wTo[b];
        double memB = gMem[b] + mem[v];
        int mn = Math.max(gMin[b], nMin[v]);
        int mx = Math.min(gMax[b], nMax[v]);
        if (!rules.fits(cpuB, memB, mn, mx, union(gPins[b], pins.get(v)))) {
            return Double.NaN;
        }
        return costA + rules.cost(cpuB, memB, mn, mx) - gCost[a] - gCost[b];
    }

    /** Applies a move; needs collect(v). */
    private void move(int v, int b) {
        int a = groupOf[v];
        if (size[b] == 0) {
            for (int i = freeTop - 1; i >= 0; i--) {
                if (free[i] == b) {
                    free[i] = free[--freeTop];
                    break;
                }
            }
        }
        double half = totalW[v] / 2;
        total -= gCost[a] + gCost[b];
        cut[a] += -half + wTo[a];
        cut[b] += half - wTo[b];
        removeMember(a, v);
        base[a] -= cpu[v];
        gMem[a] -= mem[v];
        groupOf[v] = b;
        addMember(b, v);
        if (logSize == logNode.length) {
            logNode = Arrays.copyOf(logNode, 2 * logSize);
            logGroup = Arrays.copyOf(logGroup, 2 * logSize);
        }
        logNode[logSize] = v;
        logGroup[logSize++] = b;
        base[b] += cpu[v];
        gMem[b] += mem[v];
        gMin[b] = Math.max(gMin[b], nMin[v]);
        gMax[b] = Math.min(gMax[b], nMax[v]);
        gPins[b] = union(gPins[b], pins.get(v));
        if (size[a] == 0) {
            base[a] = 0;
            cut[a] = 0;
            gMem[a] = 0;
            gMin[a] = 0;
            gMax[a] = Integer.MAX_VALUE;
            gPins[a] = Set.of();
            gCost[a] = 0;
            free[freeTop++] = a;
        } else {
            int[] bounds = boundsWithout(a, -1);
            gMin[a] = bounds[0];
            gMax[a] = bounds[1];
            if (!pins.get(v).isEmpty()) {
                gPins[a] = pinsWithout(a, -1);
            }
            gCost[a] = rules.cost(base[a] + cut[a], gMem[a], gMin[a], gMax[a]);
        }
        gCost[b] = rules.cost(base[b] + cut[b], gMem[b], gMin[b], gMax[b]);
        total += gCost[a] + gCost[b];
    }

    /** Edge weight between groups a and b. */
    private double between(int a, int b) {
        int small = size[a] <= size[b] ? a : b;
        int other = small == a ? b : a;
        double w = 0;
        for (int i = 0; i < size[small]; i++) {
            int u = members[small][i];
            for (int e = adjStart[u]; e < adjStart[u + 1]; e++) {
                if (groupOf[adjNode[e]] == other) {
                    w += adjW[e];
                }
            }
        }
        return w;
    }

    private double mergeDelta(int a, int b, double w) {
        int small = size[a] <= size[b] ? a : b;
        int other = small == a ? b : a;
        for (int i = 0; i < size[small]; i++) {
            if (separated(members[small][i], other)) {
                return Double.NaN;
            }
        }
        double c = base[a] + base[b] + cut[a] + cut[b] - w;
        double m = gMem[a] + gMem[b];
        int mn = Math.max(gMin[a], gMin[b]);
        int mx = Math.min(gMax[a], gMax[b]);
        if (!rules.fits(c, m, mn, mx, union(gPins[a], gPins[b]))) {
            return Double.NaN;
        }
        return rules.cost(c, m, mn, mx) - gCost[a] - gCost[b];
    }

    private void merge(int a, int b) {
        int small = size[a] <= size[b] ? a : b;
        int other = small == a ? b : a;
        while (size[small] > 0) {
            int v = members[small][size[small] - 1];
            collect(v);
            move(v, other);
            clear();
        }
    }

    /**
     * Anneals from {@code start} (node-level, allowed) for {@code nanos} and returns the best node-level grouping
     * seen: rounds of geometric cooling, each from the best so far with a lower starting temperature.
     */
    int[] run(int[] start, long nanos, long seed) {
        return run(start, nanos, seed, -1, 4);
    }

    /** As {@link #run(int[], long, long)}, starting at temperature {@code t0} (negative: from sampled deltas). */
    int[] run(int[] start, long nanos, long seed, double t0Given, int rounds) {
        SplittableRandom r = new SplittableRandom(seed);
        load(start);
        int[] best = groupOf.clone();
        if (n < 2) {
            return best;
        }
        double t0 = t0Given > 0 ? t0Given : startTemperature(r);
        long deadline = System.nanoTime() + nanos;
        for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
            long roundEnd = System.nanoTime() + (deadline - System.nanoTime()) / (rounds - round);
            load(best);
            best = groupOf.clone(); // load renumbers groups: the log speaks of these ids
            double roundBest = total; // the same grouping, priced afresh
            logSize = 0;
            int bestMark = 0; // the best is the snapshot plus the first bestMark logged moves
            double hot = t0 / Math.pow(4, round);
            lastRoundCosts.add(total);
            double cold = hot * 1e-4;
            double temperature = hot;
            long steps = 0;
            long roundStart = System.nanoTime();
            while (true) {
                if ((++steps & 1023) == 0) {
                    long now = System.nanoTime();
                    if (now >= roundEnd) {
                        break;
                    }
                    double progress = (double) (now - roundStart) / (roundEnd - roundStart);
                    temperature = hot * Math.pow(cold / hot, progress);
                }
                step(r, temperature);
                if (total < roundBest - 1e-12 * roundBest) {
                    roundBest = total;
                    bestMark = logSize;
                }
                if (logSize > 8 * n) {
                    // Fold the moves up to the best into the snapshot; the rest stay logged, relative to it.
                    for (int i = 0; i < bestMark; i++) {
                        best[logNode[i]] = logGroup[i];
                    }
                    System.arraycopy(logNode, bestMark, logNode, 0, logSize - bestMark);
                    System.arraycopy(logGroup, bestMark, logGroup, 0, logSize - bestMark);
                    logSize -= bestMark;
                    bestMark = 0;
                }
            }
            for (int i = 0; i < bestMark; i++) {
                best[logNode[i]] = logGroup[i];
            }
        }
        return best;
    }

    final java.util.List<Double> lastRoundCosts = new ArrayList<>();

    double total() {
        return total;
    }

    private double startTemperature(SplittableRandom r) {
        double sum = 0;
        int k = 0;
        for (int i = 0; i < 2_000; i++) {
            int v = r.nextInt(n);
            int b = groupOf[r.nextInt(n)];
            collect(v);
            double d = moveDelta(v, b);
            clear();
            if (!Double.isNaN(d)) {
                sum += Math.abs(d);
                k++;
            }
        }
        return k == 0 ? 1e-3 : 0.5 * sum / k;
    }

    private void step(SplittableRandom r, double temperature) {
        int v = r.nextInt(n);
        int a = groupOf[v];
        double kind = r.nextDouble();
        int deg = adjStart[v + 1] - adjStart[v];
        if (kind < 0.03 && deg > 0) {
            int b = groupOf[adjNode[adjStart[v] + r.nextInt(deg)]];
            if (b == a) {
                return;
            }
            double w = between(a, b);
            double d = mergeDelta(a, b, w);
            if (!Double.isNaN(d) && (d <= 0 || r.nextDouble() < Math.exp(-d / temperature))) {
                merge(a, b);
            }
            return;
        }
        int b;
        if (kind < 0.6 && deg > 0) {
            b = groupOf[adjNode[adjStart[v] + r.nextInt(deg)]];
        } else if (kind < 0.9) {
            b = groupOf[r.nextInt(n)];
        } else {
            if (size[a] < 2 || freeTop == 0) {
                return;
            }
            b = free[freeTop - 1];
        }
        if (b == a) {
            return;
        }
        collect(v);
        double d = moveDelta(v, b);
        if (!Double.isNaN(d) && (d <= 0 || r.nextDouble() < Math.exp(-d / temperature))) {
            move(v, b);
        }
        clear();
    }
}
