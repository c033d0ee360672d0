package dev.weft.placement.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The exact solver is the reference for the heuristic, so it is itself checked against a naive enumeration of
 * every set partition that shares none of its code (no pruning, no bound, its own cost arithmetic).
 */
class ExactVersusBruteForceTest {

    @Property(tries = 80)
    void branchAndBoundFindsTheSameOptimumAsTryingEveryPartition(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll @IntRange(min = 1, max = 8) int size) {
        Problem p = TestProblems.random(seed, size, true);
        Graph g = Graph.of(p, true);
        GroupRules rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
        ExactGrouper.Result exact = ExactGrouper.solve(g, rules, null, Long.MAX_VALUE);

        double brute = bruteForce(p);
        if (Double.isInfinite(brute)) {
            assertThat(exact.groupOf()).isNull();
        } else {
            assertThat(exact.groupOf()).isNotNull();
            assertThat(exact.cost())
                    .isCloseTo(brute, org.assertj.core.api.Assertions.within(1e-9 * Math.max(1, brute)));
        }
    }

    /** Cheapest allowed partition of the components, trying all of them (Bell(8) = 4,140 at most). */
    private static double bruteForce(Problem p) {
        int n = p.components().size();
        int[] a = new int[n];
        double[] best = {Double.POSITIVE_INFINITY};
        enumerate(p, a, 0, 0, best);
        return best[0];
    }

    private static void enumerate(Problem p, int[] a, int i, int groups, double[] best) {
        if (i == a.length) {
            double c = costIfAllowed(p, a, groups);
            best[0] = Math.min(best[0], c);
            return;
        }
        for (int k = 0; k <= groups; k++) {
            a[i] = k;
            enumerate(p, a, i + 1, k == groups ? groups + 1 : groups, best);
        }
    }

    private static double costIfAllowed(Problem p, int[] a, int groups) {
        Map<String, Integer> g = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            g.put(p.components().get(i).name(), a[i]);
        }
        for (Set<String> set : p.constraints().mustColocate()) {
            if (set.stream().map(g::get).distinct().count() > 1) {
                return Double.POSITIVE_INFINITY;
            }
        }
        for (Separation s : p.constraints().mustSeparate()) {
            if (g.get(s.a()).equals(g.get(s.b()))) {
                return Double.POSITIVE_INFINITY;
            }
        }
        CostModel m = p.costModel();
        double[] cpu = new double[groups];
        double[] mem = new double[groups];
        long[] lo = new long[groups];
        long[] hi = new long[groups];
        java.util.Arrays.fill(hi, Long.MAX_VALUE);
        List<Set<String>> labels = new ArrayList<>();
        for (int k = 0; k < groups; k++) {
            labels.add(new java.util.HashSet<>());
        }
        for (Component c : p.components()) {
            int k = g.get(c.name());
            cpu[k] += c.cpu();
            mem[k] += c.mem();
            lo[k] = Math.max(lo[k], c.minReplicas());
            hi[k] = Math.min(hi[k], c.maxReplicas());
            String pin = p.constraints().pins().get(c.name());
            if (pin != null) {
                labels.get(k).add(pin);
            }
        }
        for (Edge e : p.edges()) {
            int x = g.get(e.caller());
            int y = g.get(e.callee());
            if (x != y) {
                double w = m.callCpu() * e.callsPerSecond() + m.byteCpu() * e.bytesPerSecond();
                cpu[x] += w / 2;
                cpu[y] += w / 2;
            }
        }
        double total = 0;
        for (int k = 0; k < groups; k++) {
            if (lo[k] > hi[k]) {
                return Double.POSITIVE_INFINITY;
            }
            long r = Math.min(
                    Math.max((long) Math.ceil(cpu[k] / (m.replicaCpuMax() * m.targetUtilization()) - 1e-9), lo[k]),
                    hi[k]);
            double cores = r * m.processCpu() + cpu[k] / m.targetUtilization();
            double memory = r * (m.processMem() + mem[k]);
            Set<String> need = labels.get(k);
            long hosts = 0;
            for (Agent ag : p.agents()) {
                if (ag.labels().containsAll(need)
                        && ag.freeCpu() >= cores / r - 1e-9
                        && ag.freeMem() >= memory / r - 1e-9) {
                    hosts++;
                }
            }
            if (hosts < r) {
                return Double.POSITIVE_INFINITY;
            }
            total += m.pricePerCoreHour() * cores + m.pricePerGiBHour() * memory;
        }
        return total;
    }
}
