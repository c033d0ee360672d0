package dev.weft.bench.placement;

import dev.weft.bench.placement.FamilyProblems.Family;
import dev.weft.bench.placement.FamilyProblems.Regime;
import dev.weft.placement.Plan;
import dev.weft.placement.PlanResult;
import dev.weft.placement.Planner;
import dev.weft.placement.model.Problem;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Plan quality at 100-2,000 components (issue 11): for each family of {@link FamilyProblems}, size and regime, the
 * planner's plan (defaults) against the best grouping known (stored in {@code bench/placement-reference/}, found by
 * {@link LongRun}), with plan time, groups, replicas, replica fill and a lower bound.
 *
 * <p>Flags: {@code --sizes 100,250,...}, {@code --families layered,...}, {@code --regimes material,negligible},
 * {@code --runs N} (timed plans per row, median; default 3), {@code --search SECONDS} (run the long search per
 * instance first, storing any better grouping), {@code --seed S} (of the search), {@code --store DIR}.
 */
public final class QualityBench {
    private QualityBench() {}

    public static void main(String[] args) throws IOException {
        List<Integer> sizes = List.of(100, 250, 500, 1_000, 2_000);
        List<Family> families = List.of(Family.values());
        List<Regime> regimes = List.of(Regime.values());
        int runs = 3;
        double search = 0;
        long seed = 1;
        Path dir = Path.of("bench/placement-reference");
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--sizes" ->
                    sizes = Arrays.stream(v.split(",", -1))
                            .map(Integer::valueOf)
                            .toList();
                case "--families" ->
                    families = Arrays.stream(v.split(",", -1))
                            .map(s -> Family.valueOf(s.toUpperCase(Locale.ROOT)))
                            .toList();
                case "--regimes" ->
                    regimes = Arrays.stream(v.split(",", -1))
                            .map(s -> Regime.valueOf(s.toUpperCase(Locale.ROOT)))
                            .toList();
                case "--runs" -> runs = Integer.parseInt(v);
                case "--search" -> search = Double.parseDouble(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--store" -> dir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        ReferenceStore store = new ReferenceStore(dir);
        System.out.printf(
                "quality bench, %s, JDK %s, %d cpu(s), load average %s, %d timed plan(s) per row (median)%n",
                Instant.now(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                loadAverage(),
                runs);
        System.out.println("| instance | components | edges | plan $/h | best known $/h | gap | plan ms | plan cpu ms"
                + " | groups | replicas | fill | best: groups | replicas | fill | lower bound $/h | plan vs bound |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<Double> gaps = new ArrayList<>();
        for (Family f : families) {
            for (int n : sizes) {
                for (Regime r : regimes) {
                    gaps.add(row(f, n, r, runs, search, seed, store));
                }
            }
        }
        double worst = gaps.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double mean = gaps.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        System.out.printf("gap over %d instances: mean %+.3f%%, worst %+.3f%%%n", gaps.size(), 100 * mean, 100 * worst);
    }

    private static double row(Family f, int n, Regime r, int runs, double search, long seed, ReferenceStore store) {
        Problem p = FamilyProblems.generate(f, n, r);
        String name = FamilyProblems.name(f, n, r);
        Planner planner = new Planner();
        PlanResult result = planner.plan(p); // warm-up, and the plan every later run must repeat
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] wall = new long[runs];
        long[] cpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            PlanResult again = planner.plan(p);
            wall[i] = System.nanoTime() - t0;
            cpu[i] = threads.getCurrentThreadCpuTime() - c0;
            if (!again.equals(result)) {
                throw new IllegalStateException(name + ": the same input gave a different plan");
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        if (!(result instanceof PlanResult.Feasible feasible)) {
            System.out.printf(
                    "| %s | %d | %d | infeasible: %s |%n", name, n, p.edges().size(), result);
            return 0;
        }
        Plan plan = feasible.plan();
        int[] planGroups = Priced.groupsOf(p, plan);
        Priced mine = Priced.of(p, planGroups);
        if (Math.abs(mine.cost() - plan.score().costPerHour()) > 1e-9 * mine.cost()) {
            throw new IllegalStateException(name + ": plan score "
                    + plan.score().costPerHour() + " differs from its grouping's price " + mine.cost());
        }
        int[] best = search > 0
                ? LongRun.search(p, name, planGroups, store, search, seed)
                : store.read(name, p).map(ReferenceStore.Stored::groupOf).orElse(planGroups);
        Priced ref = Priced.of(p, best);
        if (!ref.allowed()) {
            throw new IllegalStateException(name + ": the stored grouping breaks a limit");
        }
        if (ref.cost() > mine.cost()) {
            ref = mine; // the plan is the best known
        }
        double bound = new Annealer(p).lowerBound(p);
        double gap = mine.cost() / ref.cost() - 1;
        System.out.printf(
                "| %s | %d | %d | %.5f | %.5f | %+.3f%% | %.0f | %.0f | %d | %d | %.3f | %d | %d | %.3f | %.5f | %+.1f%% |%n",
                name,
                n,
                p.edges().size(),
                mine.cost(),
                ref.cost(),
                100 * gap,
                wall[runs / 2] / 1e6,
                cpu[runs / 2] / 1e6,
                mine.groups(),
                mine.replicas(),
                mine.fill(),
                ref.groups(),
                ref.replicas(),
                ref.fill(),
                bound,
                100 * (mine.cost() / bound - 1));
        return gap;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", -1)[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
