package dev.weft.placement.grouping;

import dev.weft.placement.model.Agent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers "does one replica of this size fit on some agent with these labels" in O(log agents), so the
 * solvers never form a group no agent can host.
 */
public final class AgentLimits {
    private static final double EPS = 1e-9;
    private final List<Agent> agents;
    private final Map<Set<String>, double[]> ceilings; // label set -> {cpu, memory} no replica may exceed
    private final Map<Set<String>, Frontier> byLabels = new HashMap<>();

    public AgentLimits(List<Agent> agents) {
        this(agents, Map.of());
    }

    private AgentLimits(List<Agent> agents, Map<Set<String>, double[]> ceilings) {
        this.agents = List.copyOf(agents);
        this.ceilings = ceilings;
    }

    /**
     * These limits, where a replica of a group with exactly these labels may have at most {@code cpu} cores and
     * {@code memory} GiB (as if no eligible agent had more free): the planner's answer when groups judged one at a
     * time do not fit together on the agents they compete for.
     */
    public AgentLimits withCeiling(Set<String> labels, double cpu, double memory) {
        Map<Set<String>, double[]> next = new HashMap<>(ceilings);
        double[] old = next.get(labels);
        next.put(
                Set.copyOf(labels),
                old == null
                        ? new double[] {cpu, memory}
                        : new double[] {Math.min(old[0], cpu), Math.min(old[1], memory)});
        return new AgentLimits(agents, Map.copyOf(next));
    }

    /**
     * Free capacity of the agents carrying all of a label set, sorted by free cpu (and, apart, by free memory). A
     * class, not a record: it holds arrays, which a record would compare by identity.
     */
    public static final class Frontier {
        private final double[] cpuAsc;
        private final double[] memSuffixMax;
        private final double[] memAsc;
        private final double maxCpu;
        private final double maxMem;

        Frontier(double[] cpuAsc, double[] memSuffixMax, double[] memAsc, double maxCpu, double maxMem) {
            this.cpuAsc = cpuAsc;
            this.memSuffixMax = memSuffixMax;
            this.memAsc = memAsc;
            this.maxCpu = maxCpu;
            this.maxMem = maxMem;
        }

        /**
         * At least r agents have {@code cpu} free and at least r (maybe others) have {@code memory} free: the same as
         * {@code atMostFitting(cpu, memory) >= r}, in O(1) (the r-th largest of each).
         */
        public boolean enoughFor(int r, double cpu, double memory) {
            int k = cpuAsc.length;
            return r <= k && (r <= 0 || (cpuAsc[k - r] >= cpu - EPS && memAsc[k - r] >= memory - EPS));
        }

        public int count() {
            return cpuAsc.length;
        }

        /** The most cpu any one eligible agent has free. */
        public double maxCpu() {
            return maxCpu;
        }

        /** The most memory any one eligible agent has free. */
        public double maxMem() {
            return maxMem;
        }

        /** How many agents have at least {@code cpu} free, and how many at least {@code memory}: an upper bound on
         * how many could host one replica each. */
        public int atMostFitting(double cpu, double memory) {
            return Math.min(
                    cpuAsc.length - lowerBound(cpuAsc, cpu - EPS), memAsc.length - lowerBound(memAsc, memory - EPS));
        }

        private static int lowerBound(double[] sorted, double value) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < value) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** Some eligible agent has at least this cpu and this memory free at once. */
        public boolean fits(double cpu, double memory) {
            if (cpuAsc.length > 0 && cpuAsc[0] >= cpu - EPS) {
                return maxMem >= memory - EPS; // every agent has the cpu: the one with most memory decides
            }
            int i = Arrays.binarySearch(cpuAsc, cpu - EPS);
            if (i < 0) {
                i = -i - 1;
            }
            // binarySearch may land on any of equal keys; step back over equals so none is skipped.
            while (i > 0 && cpuAsc[i - 1] >= cpu - EPS) {
                i--;
            }
            return i < cpuAsc.length && memSuffixMax[i] >= memory - EPS;
        }
    }

    public Frontier forLabels(Set<String> labels) {
        Frontier f = byLabels.get(labels);
        if (f == null) {
            f = build(labels);
            byLabels.put(Set.copyOf(labels), f);
        }
        return f;
    }

    private Frontier build(Set<String> labels) {
        double[] ceiling = ceilings.get(labels);
        double cpuCap = ceiling == null ? Double.POSITIVE_INFINITY : ceiling[0];
        double memCap = ceiling == null ? Double.POSITIVE_INFINITY : ceiling[1];
        double[][] free = agents.stream()
                .filter(a -> a.labels().containsAll(labels))
                .map(a -> new double[] {Math.min(a.freeCpu(), cpuCap), Math.min(a.freeMem(), memCap)})
                .sorted((x, y) -> Double.compare(x[0], y[0]))
                .toArray(double[][]::new);
        int k = free.length;
        double[] cpu = new double[k];
        double[] mem = new double[k];
        double maxMem = 0;
        for (int i = k - 1; i >= 0; i--) {
            cpu[i] = free[i][0];
            maxMem = Math.max(maxMem, free[i][1]);
            mem[i] = maxMem;
        }
        double[] memAsc = new double[k];
        for (int i = 0; i < k; i++) {
            memAsc[i] = free[i][1];
        }
        Arrays.sort(memAsc);
        return new Frontier(cpu, mem, memAsc, k == 0 ? 0 : cpu[k - 1], maxMem);
    }

    public boolean anyAgent(Set<String> labels) {
        return forLabels(labels).count() > 0;
    }
}
