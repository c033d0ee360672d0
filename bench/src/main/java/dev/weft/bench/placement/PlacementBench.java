package dev.weft.bench.placement;

import dev.weft.placement.Plan;
import dev.weft.placement.PlanResult;
import dev.weft.placement.Planner;
import dev.weft.placement.PlannerOptions;
import dev.weft.placement.grouping.AgentLimits;
import dev.weft.placement.grouping.ExactGrouper;
import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.grouping.Groupings;
import dev.weft.placement.grouping.HeuristicGrouper;
import dev.weft.placement.model.Problem;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times the planner on synthetic applications and prints one table row per size: median plan time, plan
 * cost against both baselines and (where enumeration is possible) the exact optimum, and peak heap.
 * {@code --full} runs every size of issue 3; without it a quick subset runs. {@code --budget N} sets the planner's
 * {@code searchBudget} (default: the planner's default).
 */
public final class PlacementBench {
    private record Size(int components, int edges, int agents) {}

    private static final List<Size> QUICK = List.of(
            new Size(10, 22, 100),
            new Size(12, 30, 100),
            new Size(20, 60, 100),
            new Size(50, 500, 100),
            new Size(200, 2_000, 1_000));
    private static final List<Size> FULL = List.of(
            new Size(10, 22, 100),
            new Size(12, 30, 100),
            new Size(20, 60, 100),
            new Size(50, 500, 100),
            new Size(200, 2_000, 1_000),
            new Size(1_000, 10_000, 10_000),
            new Size(2_000, 20_000, 100),
            new Size(2_000, 20_000, 10_000));

    private PlacementBench() {}

    public static void main(String[] args) {
        boolean full = Arrays.asList(args).contains("--full");
        int at = Arrays.asList(args).indexOf("--budget");
        if (at >= 0) {
            options = PlannerOptions.DEFAULTS.withSearchBudget(Long.parseLong(args[at + 1]));
        }
        int runs = full ? 7 : 3;
        System.out.printf(
                "placement bench (%s, %d timed runs after 2 warm-ups, median, searchBudget %d), JDK %s, %d cpu(s), max"
                        + " heap %d MiB%n",
                full ? "full" : "quick",
                runs,
                options.searchBudget(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println(
                "| components | edges | agents | solver | plan ms (median) | plan cpu ms (median) | first run ms | plan $/h | one-per-process $/h"
                        + " | single-process $/h | heuristic alone vs exact optimum | plan vs lower bound | groups | replicas"
                        + " | peak heap MiB |");
        System.out.println("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Size s : full ? FULL : QUICK) {
            row(s, runs);
        }
        System.out.println("* infeasible: the constraints (must-colocate / must-separate sets in the generated problem)"
                + " rule that baseline out; its cost is shown for scale only.");
        System.out.println();
        System.out.println(
                "Replica placement alone, one group per component (median ms; after losing one agent, with the"
                        + " previous agents as stability hints):");
        System.out.println("| preference | groups | replicas | agents | place ms | re-place after losing an agent ms"
                + " | replicas kept |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        PlacementStress.run(full ? 2_000 : 200, full ? 10_000 : 1_000, runs);
        System.out.println();
        System.out.println("Heuristic alone versus the proven optimum, random instances of 10-20 components:");
        System.out.println("| instances | optimum proven | heuristic found the optimum | mean gap | worst gap"
                + " | heuristic ms (mean) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        HeuristicQuality.run(full ? 200 : 30);
    }

    private static PlannerOptions options = PlannerOptions.DEFAULTS;

    private static void row(Size s, int runs) {
        Problem p = BenchProblems.generate(s.components() * 31L + s.agents(), s.components(), s.edges(), s.agents());
        Planner planner = new Planner(options);
        System.gc();
        resetPeaks();
        long c0 = System.nanoTime();
        planner.plan(p);
        double coldMs = (System.nanoTime() - c0) / 1e6; // includes JIT warm-up: what a freshly started planner sees
        PlanResult result = planner.plan(p); // a second run, so the timed runs below start warm
        long[] nanos = new long[runs];
        long[] cpuNanos = new long[runs];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < runs; i++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            result = planner.plan(p);
            nanos[i] = System.nanoTime() - t0;
            cpuNanos[i] = threads.getCurrentThreadCpuTime() - cpu0;
        }
        long peak = peakHeapBytes();
        Arrays.sort(nanos);
        Arrays.sort(cpuNanos);
        double ms = nanos[runs / 2] / 1e6;
        // On a shared machine wall time includes waiting for a core; the thread's cpu time does not.
        double cpuMs = cpuNanos[runs / 2] / 1e6;
        if (!(result instanceof PlanResult.Feasible f)) {
            System.out.printf(
                    "| %d | %d | %d | infeasible: %s |%n",
                    s.components(), p.edges().size(), s.agents(), ((PlanResult.Infeasible) result).reasons());
            return;
        }
        Plan plan = f.plan();
        double cost = plan.score().costPerHour();
        var b = plan.baselines();
        Graph g = Graph.of(p, true);
        GroupRules rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
        System.out.printf(
                "| %d | %d | %d | %s | %.1f | %.1f | %.1f | %.4f | %s | %s | %s | %+.1f%% | %d | %d | %d |%n",
                s.components(),
                p.edges().size(),
                s.agents(),
                plan.solver(),
                ms,
                cpuMs,
                coldMs,
                cost,
                baseline(b.onePerProcess(), cost),
                baseline(b.singleProcess(), cost),
                heuristicGap(g, rules),
                100 * (cost / ExactGrouper.lowerBound(g, rules) - 1),
                plan.score().groups(),
                plan.score().replicas(),
                peak >> 20);
    }

    /** Baseline cost and how the plan compares; an infeasible baseline is marked (its cost is still shown). */
    private static String baseline(dev.weft.placement.Baseline b, double cost) {
        return String.format(
                "%.4f (plan %+.1f%%)%s",
                b.costPerHour(), 100 * (cost / b.costPerHour() - 1), b.feasible() ? "" : " infeasible*");
    }

    /**
     * The heuristic alone (the planner would use the exact search at this size) against the proven optimum, when
     * enumeration is possible; "n/a" above that.
     */
    private static String heuristicGap(Graph g, GroupRules rules) {
        if (g.size() > 24) {
            return "n/a";
        }
        ExactGrouper.Result exact = ExactGrouper.solve(g, rules, null, 20_000_000L);
        if (!exact.proven() || exact.groupOf() == null) {
            return "n/a (not proven)";
        }
        int[] h = new HeuristicGrouper(rules, new SplittableRandom(42), HeuristicGrouper.defaultRestarts(g.size()))
                .solve(g);
        return String.format("%+.3f%%", 100 * (Groupings.cost(g, rules, h) / exact.cost() - 1));
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
