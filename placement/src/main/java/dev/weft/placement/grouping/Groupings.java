package dev.weft.placement.grouping;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Evaluates a complete grouping from scratch: its cost, whether it is allowed, and why not. */
public final class Groupings {
    private Groupings() {}

    /**
     * Per-group totals of a grouping (group ids renumbered 0..k-1 by first node). A class, not a record: it holds
     * arrays (shared, not copied: callers only read them), which a record would compare by identity.
     */
    public static final class Totals {
        private final int[] groupOf;
        private final int groups;
        private final double[] cpu;
        private final double[] mem;
        private final int[] maxMin;
        private final int[] minMax;
        private final List<Set<String>> labels;

        Totals(
                int[] groupOf,
                int groups,
                double[] cpu,
                double[] mem,
                int[] maxMin,
                int[] minMax,
                List<Set<String>> labels) {
            this.groupOf = groupOf;
            this.groups = groups;
            this.cpu = cpu;
            this.mem = mem;
            this.maxMin = maxMin;
            this.minMax = minMax;
            this.labels = labels;
        }

        /** Group (0..groups-1) of every node. */
        public int[] groupOf() {
            return groupOf;
        }

        public int groups() {
            return groups;
        }

        /** cpu(g): members' cpu plus their share of cut edges. */
        public double[] cpu() {
            return cpu;
        }

        public double[] mem() {
            return mem;
        }

        public int[] maxMin() {
            return maxMin;
        }

        public int[] minMax() {
            return minMax;
        }

        public List<Set<String>> labels() {
            return labels;
        }
    }

    public static Totals totals(Graph g, int[] assignment) {
        int[] renumber = new int[Math.max(1, g.n)];
        java.util.Arrays.fill(renumber, -1);
        int[] groupOf = new int[g.n];
        int k = 0;
        for (int v = 0; v < g.n; v++) {
            int a = assignment[v];
            if (renumber[a] < 0) {
                renumber[a] = k++;
            }
            groupOf[v] = renumber[a];
        }
        double[] cpu = new double[k];
        double[] mem = new double[k];
        int[] maxMin = new int[k];
        int[] minMax = new int[k];
        java.util.Arrays.fill(minMax, Integer.MAX_VALUE);
        List<Set<String>> labels = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            labels.add(Set.of());
        }
        for (int v = 0; v < g.n; v++) {
            int a = groupOf[v];
            cpu[a] += g.cpu[v];
            mem[a] += g.mem[v];
            maxMin[a] = Math.max(maxMin[a], g.maxMin[v]);
            minMax[a] = Math.min(minMax[a], g.minMax[v]);
            labels.set(a, GroupRules.union(labels.get(a), g.labels.get(v)));
            for (int e = g.adjStart[v]; e < g.adjStart[v + 1]; e++) {
                if (groupOf[g.adjNode[e]] != a && g.adjNode[e] < g.n) {
                    cpu[a] += g.adjW[e] / 2;
                }
            }
        }
        return new Totals(groupOf, k, cpu, mem, maxMin, minMax, labels);
    }

    /** Plan cost of the grouping, even when it breaks a limit (baselines report such costs too). */
    public static double cost(Graph g, GroupRules rules, int[] assignment) {
        Totals t = totals(g, assignment);
        double total = 0;
        for (int k = 0; k < t.groups(); k++) {
            total += rules.cost(t.cpu()[k], t.mem()[k], t.maxMin()[k], t.minMax()[k]);
        }
        return total;
    }

    public static boolean feasible(Graph g, GroupRules rules, int[] assignment) {
        return violations(g, rules, assignment).isEmpty();
    }

    /** Every separation broken and every group no agent can host, in words. */
    public static List<String> violations(Graph g, GroupRules rules, int[] assignment) {
        Totals t = totals(g, assignment);
        List<String> out = new ArrayList<>();
        for (int v = 0; v < g.n; v++) {
            for (int s : g.separated[v]) {
                if (v < s && t.groupOf()[v] == t.groupOf()[s]) {
                    out.add("must-separate " + g.memberNames(v) + " and " + g.memberNames(s) + " share a process");
                }
            }
        }
        for (int k = 0; k < t.groups(); k++) {
            String why = rules.whyNot(
                    t.cpu()[k],
                    t.mem()[k],
                    t.maxMin()[k],
                    t.minMax()[k],
                    t.labels().get(k));
            if (why != null) {
                out.add("group " + firstMember(g, t.groupOf(), k) + ": " + why);
            }
        }
        return out;
    }

    private static String firstMember(Graph g, int[] groupOf, int k) {
        for (int v = 0; v < g.n; v++) {
            if (groupOf[v] == k) {
                return g.memberNames(v).get(0);
            }
        }
        return "?";
    }
}
