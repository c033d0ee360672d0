package dev.weft.bench.placement;

import dev.weft.placement.PlanResult;
import dev.weft.placement.Planner;
import dev.weft.placement.PlannerOptions;
import dev.weft.placement.model.Problem;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The gap of {@link QualityBench}'s instances over several planner seeds: the default seed first, then seeds 1001,
 * 1002, ... The anytime search is deterministic per seed but its result spreads by a few tenths of a percent from
 * seed to seed on the larger instances, so a change to the search is judged on the mean over seeds, not on the one
 * default-seed row. Prints one line per instance (mean gap, mean plan cpu ms, the gap of every seed) and the mean and
 * worst instance mean over all of them. Gaps are against the stored best known grouping, or the plan when it is
 * cheaper (marked "new best").
 *
 * <p>Arguments: {@code FAMILIES REGIMES SIZES SEEDS [BUDGET]}, e.g. {@code communities,sparse material
 * 250,500,1000,2000 5}; {@code BUDGET} is the anytime search's budget in work units (default: the planner's).
 */
public final class SeedSpread {
    private SeedSpread() {}

    public static void main(String[] args) {
        if (args.length != 4 && args.length != 5) {
            throw new IllegalArgumentException("usage: SeedSpread FAMILIES REGIMES SIZES SEEDS [BUDGET]");
        }
        int seeds = Integer.parseInt(args[3]);
        PlannerOptions base = args.length == 5
                ? PlannerOptions.DEFAULTS.withSearchBudget(Long.parseLong(args[4]))
                : PlannerOptions.DEFAULTS;
        ReferenceStore store = new ReferenceStore(Path.of("bench/placement-reference"));
        double sum = 0;
        double worst = Double.NEGATIVE_INFINITY;
        int instances = 0;
        for (String fs : args[0].split(",", -1)) {
            for (String ss : args[2].split(",", -1)) {
                for (String rs : args[1].split(",", -1)) {
                    FamilyProblems.Family f = FamilyProblems.Family.valueOf(fs.toUpperCase(Locale.ROOT));
                    FamilyProblems.Regime r = FamilyProblems.Regime.valueOf(rs.toUpperCase(Locale.ROOT));
                    int n = Integer.parseInt(ss);
                    Problem p = FamilyProblems.generate(f, n, r);
                    String name = FamilyProblems.name(f, n, r);
                    double ref = store.read(name, p)
                            .map(s -> Priced.of(p, s.groupOf()).cost())
                            .orElse(Double.POSITIVE_INFINITY);
                    StringBuilder each = new StringBuilder();
                    double gaps = 0;
                    long cpu = 0;
                    for (int s = 0; s < seeds; s++) {
                        PlannerOptions o = s == 0 ? base : base.withSeed(1000 + s);
                        long c0 = java.lang.management.ManagementFactory.getThreadMXBean()
                                .getCurrentThreadCpuTime();
                        PlanResult res = new Planner(o).plan(p);
                        cpu += java.lang.management.ManagementFactory.getThreadMXBean()
                                        .getCurrentThreadCpuTime()
                                - c0;
                        if (!(res instanceof PlanResult.Feasible feasible)) {
                            throw new IllegalStateException(name + ": no plan: " + res);
                        }
                        double c = feasible.plan().score().costPerHour();
                        double gap = c / Math.min(ref, c) - 1;
                        gaps += gap;
                        each.append(String.format(Locale.ROOT, " %+.3f%s", 100 * gap, c < ref ? " (new best)" : ""));
                    }
                    double mean = gaps / seeds;
                    sum += mean;
                    worst = Math.max(worst, mean);
                    instances++;
                    System.out.printf(
                            Locale.ROOT,
                            "%-28s mean %+.3f%% cpu %4.0f ms |%s%n",
                            name,
                            100 * mean,
                            cpu / 1e6 / seeds,
                            each);
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%d instances x %d seeds: mean %+.3f%%, worst instance mean %+.3f%%%n",
                instances,
                seeds,
                100 * sum / instances,
                100 * worst);
    }
}
