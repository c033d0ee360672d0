package dev.weft.placement.grouping;

import static java.util.Objects.requireNonNull;

import dev.weft.placement.model.Component;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The call graph the solvers work on: one node per must-colocate closure (or per component when built
 * without merging), undirected edges weighted in cores of remote-call overhead, in compressed arrays.
 */
public final class Graph {
    final int n;
    final int[][] members; // component indices per node
    final double[] cpu; // Σ cpu of members, without remote-call overhead
    final double[] mem; // Σ mem of members
    final int[] maxMin;
    final int[] minMax;
    final List<Set<String>> labels; // pins of members (usually empty)
    final int[][] separated; // nodes this node must not share a group with
    final int[] adjStart;
    final int[] adjNode;
    final double[] adjW; // cores burnt by the edge when cut (both halves)
    final double[] totalW; // Σ adjW per node
    final List<String> componentNames;
    final int[] nodeOfComponent;

    private Graph(
            int n,
            int[][] members,
            double[] cpu,
            double[] mem,
            int[] maxMin,
            int[] minMax,
            List<Set<String>> labels,
            int[][] separated,
            int[] adjStart,
            int[] adjNode,
            double[] adjW,
            List<String> componentNames,
            int[] nodeOfComponent) {
        this.n = n;
        this.members = members;
        this.cpu = cpu;
        this.mem = mem;
        this.maxMin = maxMin;
        this.minMax = minMax;
        this.labels = labels;
        this.separated = separated;
        this.adjStart = adjStart;
        this.adjNode = adjNode;
        this.adjW = adjW;
        this.componentNames = componentNames;
        this.nodeOfComponent = nodeOfComponent;
        this.totalW = new double[n];
        for (int v = 0; v < n; v++) {
            for (int i = adjStart[v]; i < adjStart[v + 1]; i++) {
                totalW[v] += adjW[i];
            }
        }
    }

    /** Builds the graph; with {@code mergeColocated} each must-colocate closure becomes one node. */
    public static Graph of(Problem p, boolean mergeColocated) {
        List<Component> comps = p.components();
        int c = comps.size();
        Map<String, Integer> index = new HashMap<>(c * 2);
        for (int i = 0; i < c; i++) {
            index.put(comps.get(i).name(), i);
        }
        int[] parent = new int[c];
        for (int i = 0; i < c; i++) {
            parent[i] = i;
        }
        if (mergeColocated) {
            for (Set<String> set : p.constraints().mustColocate()) {
                // Sorted so the union order, and so node numbering, never depends on hash order.
                Integer first = null;
                for (String name : new TreeSet<>(set)) {
                    int i = requireNonNull(index.get(name));
                    if (first == null) {
                        first = i;
                    } else {
                        union(parent, first, i);
                    }
                }
            }
        }
        int[] nodeOf = new int[c];
        int[] rootToNode = new int[c];
        Arrays.fill(rootToNode, -1);
        int n = 0;
        for (int i = 0; i < c; i++) {
            int r = find(parent, i);
            if (rootToNode[r] < 0) {
                rootToNode[r] = n++;
            }
            nodeOf[i] = rootToNode[r];
        }
        int[] sizes = new int[n];
        for (int i = 0; i < c; i++) {
            sizes[nodeOf[i]]++;
        }
        int[][] members = new int[n][];
        for (int v = 0; v < n; v++) {
            members[v] = new int[sizes[v]];
            sizes[v] = 0;
        }
        double[] cpu = new double[n];
        double[] mem = new double[n];
        int[] maxMin = new int[n];
        int[] minMax = new int[n];
        Arrays.fill(minMax, Integer.MAX_VALUE);
        List<Set<String>> labels = new ArrayList<>(n);
        List<TreeSet<String>> labelBuild = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            labelBuild.add(new TreeSet<>());
        }
        for (int i = 0; i < c; i++) {
            int v = nodeOf[i];
            Component comp = comps.get(i);
            members[v][sizes[v]++] = i;
            cpu[v] += comp.cpu();
            mem[v] += comp.mem();
            maxMin[v] = Math.max(maxMin[v], comp.minReplicas());
            minMax[v] = Math.min(minMax[v], comp.maxReplicas());
            String pin = p.constraints().pins().get(comp.name());
            if (pin != null) {
                labelBuild.get(v).add(pin);
            }
        }
        for (TreeSet<String> s : labelBuild) {
            labels.add(s.isEmpty() ? Set.of() : Set.copyOf(s));
        }
        int[][] separated = separations(p, index, nodeOf, n);
        return withEdges(
                p.edges(),
                p.costModel(),
                index,
                nodeOf,
                n,
                members,
                cpu,
                mem,
                maxMin,
                minMax,
                labels,
                separated,
                comps.stream().map(Component::name).toList());
    }

    private static int[][] separations(Problem p, Map<String, Integer> index, int[] nodeOf, int n) {
        List<List<Integer>> sep = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            sep.add(new ArrayList<>(0));
        }
        for (Separation s : p.constraints().mustSeparate()) {
            int a = nodeOf[requireNonNull(index.get(s.a()))];
            int b = nodeOf[requireNonNull(index.get(s.b()))];
            // a == b is a contradiction the precheck reports; the solvers just cannot honour it.
            if (a != b) {
                sep.get(a).add(b);
                sep.get(b).add(a);
            }
        }
        int[][] out = new int[n][];
        for (int v = 0; v < n; v++) {
            out[v] = sep.get(v).stream().mapToInt(Integer::intValue).distinct().toArray();
        }
        return out;
    }

    private static Graph withEdges(
            List<Edge> edges,
            CostModel model,
            Map<String, Integer> index,
            int[] nodeOf,
            int n,
            int[][] members,
            double[] cpu,
            double[] mem,
            int[] maxMin,
            int[] minMax,
            List<Set<String>> labels,
            int[][] separated,
            List<String> names) {
        // Parallel and opposite edges collapse into one undirected weight; edges inside a node are always free.
        Map<Long, Double> weights = new HashMap<>(edges.size() * 2);
        for (Edge e : edges) {
            int a = nodeOf[requireNonNull(index.get(e.caller()))];
            int b = nodeOf[requireNonNull(index.get(e.callee()))];
            double w = model.edgeCores(e.callsPerSecond(), e.bytesPerSecond());
            if (a == b || w <= 0) {
                continue;
            }
            // a·n + b rather than a << 32 | b, whose Long hash (a ^ b) collides badly.
            long key = a < b ? (long) a * n + b : (long) b * n + a;
            weights.merge(key, w, Double::sum);
        }
        int[] degree = new int[n];
        long[] keys =
                weights.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        for (long key : keys) {
            degree[(int) (key / n)]++;
            degree[(int) (key % n)]++;
        }
        int[] start = new int[n + 1];
        for (int v = 0; v < n; v++) {
            start[v + 1] = start[v] + degree[v];
        }
        int[] fill = Arrays.copyOf(start, n);
        int[] adjNode = new int[start[n]];
        double[] adjW = new double[start[n]];
        for (long key : keys) {
            int a = (int) (key / n);
            int b = (int) (key % n);
            double w = requireNonNull(weights.get(key));
            adjNode[fill[a]] = b;
            adjW[fill[a]++] = w;
            adjNode[fill[b]] = a;
            adjW[fill[b]++] = w;
        }
        return new Graph(n, members, cpu, mem, maxMin, minMax, labels, separated, start, adjNode, adjW, names, nodeOf);
    }

    /**
     * This graph with every cluster of nodes merged into one node (sums of cpu and memory, the tightest replica
     * bounds, the union of pins and separations, edges between clusters added up, edges inside one dropped). A
     * cluster must not hold a must-separate pair. The search uses it to move tightly linked nodes as one.
     */
    Graph contract(int[] clusterOf, int clusters) {
        int[] sizes = new int[clusters];
        for (int v = 0; v < n; v++) {
            sizes[clusterOf[v]] += members[v].length;
        }
        int[][] cMembers = new int[clusters][];
        for (int c = 0; c < clusters; c++) {
            cMembers[c] = new int[sizes[c]];
            sizes[c] = 0;
        }
        double[] cCpu = new double[clusters];
        double[] cMem = new double[clusters];
        int[] cMaxMin = new int[clusters];
        int[] cMinMax = new int[clusters];
        Arrays.fill(cMinMax, Integer.MAX_VALUE);
        List<Set<String>> cLabels = new ArrayList<>(clusters);
        for (int c = 0; c < clusters; c++) {
            cLabels.add(Set.of());
        }
        for (int v = 0; v < n; v++) {
            int c = clusterOf[v];
            for (int i : members[v]) {
                cMembers[c][sizes[c]++] = i;
            }
            cCpu[c] += cpu[v];
            cMem[c] += mem[v];
            cMaxMin[c] = Math.max(cMaxMin[c], maxMin[v]);
            cMinMax[c] = Math.min(cMinMax[c], minMax[v]);
            cLabels.set(c, GroupRules.union(cLabels.get(c), labels.get(v)));
        }
        List<@Nullable List<Integer>> sep = new ArrayList<>(clusters);
        for (int c = 0; c < clusters; c++) {
            sep.add(null); // most clusters have no separation: a list only for those that do
        }
        for (int v = 0; v < n; v++) {
            for (int s : separated[v]) {
                List<Integer> l = sep.get(clusterOf[v]);
                if (l == null) {
                    l = new ArrayList<>(2);
                    sep.set(clusterOf[v], l);
                }
                l.add(clusterOf[s]);
            }
        }
        int[][] cSeparated = new int[clusters][];
        int[] none = new int[0];
        for (int c = 0; c < clusters; c++) {
            List<Integer> l = sep.get(c);
            cSeparated[c] = l == null
                    ? none
                    : l.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
        }
        // Edges between clusters, summed per pair in the order they are met (so every sum is the same double on
        // every run), in an open-addressing table of primitive keys: this runs on every level of every V-cycle.
        long k = clusters;
        int edges = adjStart[n] / 2;
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(2, 2 * edges));
        int mask = (1 << bits) - 1;
        long[] slotKey = new long[mask + 1];
        Arrays.fill(slotKey, -1L);
        double[] slotW = new double[mask + 1];
        long[] keys = new long[edges];
        int pairs = 0;
        for (int v = 0; v < n; v++) {
            for (int e = adjStart[v]; e < adjStart[v + 1]; e++) {
                int u = adjNode[e];
                int a = clusterOf[v];
                int b = clusterOf[u];
                if (v < u && a != b) {
                    long key = a < b ? a * k + b : b * k + a;
                    int h = slot(slotKey, key, bits, mask);
                    if (slotKey[h] == -1L) {
                        slotKey[h] = key;
                        slotW[h] = adjW[e];
                        keys[pairs++] = key;
                    } else {
                        slotW[h] += adjW[e];
                    }
                }
            }
        }
        keys = Arrays.copyOf(keys, pairs);
        Arrays.sort(keys);
        int[] degree = new int[clusters];
        for (long key : keys) {
            degree[(int) (key / k)]++;
            degree[(int) (key % k)]++;
        }
        int[] start = new int[clusters + 1];
        for (int c = 0; c < clusters; c++) {
            start[c + 1] = start[c] + degree[c];
        }
        int[] fill = Arrays.copyOf(start, clusters);
        int[] cAdjNode = new int[start[clusters]];
        double[] cAdjW = new double[start[clusters]];
        for (long key : keys) {
            int a = (int) (key / k);
            int b = (int) (key % k);
            double w = slotW[slot(slotKey, key, bits, mask)];
            cAdjNode[fill[a]] = b;
            cAdjW[fill[a]++] = w;
            cAdjNode[fill[b]] = a;
            cAdjW[fill[b]++] = w;
        }
        int[] cNodeOf = new int[nodeOfComponent.length];
        for (int i = 0; i < cNodeOf.length; i++) {
            cNodeOf[i] = clusterOf[nodeOfComponent[i]];
        }
        return new Graph(
                clusters,
                cMembers,
                cCpu,
                cMem,
                cMaxMin,
                cMinMax,
                cLabels,
                cSeparated,
                start,
                cAdjNode,
                cAdjW,
                componentNames,
                cNodeOf);
    }

    /** The slot of key in an open-addressing table (linear probing; -1 marks a free slot): its own or the free one. */
    private static int slot(long[] slotKey, long key, int bits, int mask) {
        int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - bits));
        while (slotKey[h] != -1L && slotKey[h] != key) {
            h = (h + 1) & mask;
        }
        return h;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    public int size() {
        return n;
    }

    public int edgeCount() {
        return adjNode.length / 2;
    }

    /** Component names of node {@code v}, in input order. */
    public List<String> memberNames(int v) {
        List<String> out = new ArrayList<>(members[v].length);
        for (int i : members[v]) {
            out.add(componentNames.get(i));
        }
        return out;
    }

    public int componentCount() {
        return nodeOfComponent.length;
    }

    public int nodeOfComponent(int componentIndex) {
        return nodeOfComponent[componentIndex];
    }
}
