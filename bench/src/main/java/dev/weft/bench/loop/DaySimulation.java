package dev.weft.bench.loop;

import dev.weft.placement.Baselines;
import dev.weft.placement.Hysteresis;
import dev.weft.placement.Plan;
import dev.weft.placement.PlanResult;
import dev.weft.placement.PlannedGroup;
import dev.weft.placement.Planner;
import dev.weft.placement.PlannerOptions;
import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.PreviousPlan;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A day of the scheduling loop, compressed: 200 agents, the online shop (examples/specs/online-shop.json) whose load
 * follows a day-like curve (a night trough, a day peak) with a spike of three times the load for 20 minutes at 20:00,
 * one simulated minute per step. The loop's policy as the scheduler applies it ({@code planning} package): load read
 * over a 5-minute window in 5 slices; a re-plan when a component's cpu moved more than 25 % from what the latest plan
 * was computed on in every slice, or at once when the running plan's groups need more replicas than they run; a new
 * plan applied only when it beats the running one (priced with the replicas it runs, at today's load) by 5 %, or when
 * the running one is short of replicas. Run twice: with stability (the running plan is the planner's previous plan,
 * and the hysteresis decides) and from scratch (no previous plan, every re-plan applied), to show what stability
 * saves. Prints cost per hour against both baselines and the replicas each re-plan restarts.
 *
 * <pre>java -cp ... dev.weft.bench.loop.DaySimulation [--agents 200] [--seed 7]</pre>
 */
public final class DaySimulation {

    // name, cpuMillis, memoryMiB, minReplicas, maxReplicas (the shop, as registered)
    private static final Object[][] SHOP = {
        {"frontend", 500, 256, 2, 20}, {"checkout", 300, 128, 1, 10}, {"cart", 200, 128, 1, 10},
        {"cart-store", 200, 512, 1, 10}, {"product-catalog", 300, 192, 1, 10}, {"currency", 200, 64, 1, 10},
        {"payment", 100, 64, 2, 4}, {"shipping", 100, 64, 1, 5}, {"email", 100, 64, 1, 5},
        {"recommendation", 400, 1024, 1, 10}, {"ads", 200, 256, 1, 5}
    };
    private static final Object[][] EDGES = {
        {"frontend", "product-catalog", 1150, 2400},
        {"frontend", "currency", 2300, 120},
        {"frontend", "cart", 720, 600},
        {"frontend", "recommendation", 550, 300},
        {"frontend", "ads", 430, 400},
        {"frontend", "shipping", 160, 250},
        {"frontend", "checkout", 50, 900},
        {"recommendation", "product-catalog", 550, 9000},
        {"cart", "cart-store", 770, 500},
        {"checkout", "cart", 100, 600},
        {"checkout", "product-catalog", 150, 2400},
        {"checkout", "currency", 200, 120},
        {"checkout", "shipping", 100, 250},
        {"checkout", "payment", 50, 300},
        {"checkout", "email", 50, 1500}
    };
    /** Measured load at the day's peak is this many times the shop's declared hints. */
    private static final double PEAK_SCALE = 12;

    private DaySimulation() {}

    /** The day's load factor at minute m (0..1439): 0.15 at 04:00, 1 at 14:00; three times that 20:00-20:20. */
    static double load(int minute) {
        double hour = minute / 60.0;
        double day = 0.575 - 0.425 * Math.cos((hour - 4) / 24 * 2 * Math.PI);
        boolean spike = minute >= 20 * 60 && minute < 20 * 60 + 20;
        return spike ? 3 * day : day;
    }

    public static void main(String[] args) {
        int agents = 200;
        long seed = 7;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--agents" -> agents = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        long start = System.nanoTime();
        Run stable = new Run(agents, seed, true).day();
        Run scratch = new Run(agents, seed, false).day();
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.println(
                "| hour | load | stable $/h | from scratch $/h | one per process $/h | single process $/h | stable plans applied | scratch plans applied |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int h = 0; h < 24; h++) {
            int m = h * 60 + 30;
            System.out.printf(
                    Locale.ROOT,
                    "| %02d:30 | %.2f | %.4f | %.4f | %.4f | %.4f | %d | %d |%n",
                    h,
                    load(m),
                    stable.cost[m],
                    scratch.cost[m],
                    stable.onePerProcess[m],
                    stable.singleProcess[m],
                    stable.appliedBy[m],
                    scratch.appliedBy[m]);
        }
        System.out.printf(
                Locale.ROOT,
                "%n(spike) 20:10 | %.2f | %.4f | %.4f | %.4f | %.4f |%n%n",
                load(1210),
                stable.cost[1210],
                scratch.cost[1210],
                stable.onePerProcess[1210],
                stable.singleProcess[1210]);
        System.out.println(
                "| run | re-plans computed | applied | replicas restarted per applied re-plan: median / max / total | mean $/h over the day | vs one per process | vs single process |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Run r : List.of(stable, scratch)) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %d / %d / %d | %.4f | %+.1f %% | %+.1f %% |%n",
                    r.stable ? "stability (previous plan + 5 % hysteresis)" : "from scratch (every re-plan applied)",
                    r.computed,
                    r.applied,
                    median(r.restarts),
                    max(r.restarts),
                    sum(r.restarts),
                    mean(r.cost),
                    100 * (mean(r.cost) / mean(r.onePerProcess) - 1),
                    100 * (mean(r.cost) / mean(r.singleProcess) - 1));
        }
        Baselines b = stable.baselines(stable.problem(0));
        System.out.printf(
                Locale.ROOT,
                "%nbaselines: one per process %s, single process %s (an infeasible baseline's cost is shown for comparison only)%n",
                b.onePerProcess().feasible()
                        ? "feasible"
                        : "infeasible " + b.onePerProcess().violations(),
                b.singleProcess().feasible()
                        ? "feasible"
                        : "infeasible " + b.singleProcess().violations());
        System.out.printf(
                Locale.ROOT, "%d agents, 1,440 simulated minutes per run, both runs in %.1f s%n", agents, seconds);
    }

    /** One simulated day under one policy. */
    private static final class Run {
        final boolean stable;
        final List<Agent> agents = new ArrayList<>();
        final Planner planner;
        final double[] cost = new double[1440];
        final double[] onePerProcess = new double[1440];
        final double[] singleProcess = new double[1440];
        final int[] appliedBy = new int[1440];
        final List<Integer> restarts = new ArrayList<>();
        int computed;
        int applied;

        @org.jspecify.annotations.Nullable
        Plan running;

        Map<String, Double> plannedCpu = new HashMap<>();

        Run(int n, long seed, boolean stable) {
            this.stable = stable;
            this.planner = new Planner(PlannerOptions.DEFAULTS.withSeed(seed));
            for (int i = 0; i < n; i++) {
                Set<String> labels = i % 10 == 0 ? Set.of("pci", "pci=true") : Set.of();
                agents.add(
                        new Agent(String.format(Locale.ROOT, "agent-%03d", i), "zone-" + (i % 3), labels, 8, 16, 0, 0));
            }
        }

        /** The problem at the load averaged over the 5 minutes before {@code minute}. */
        Problem problem(int minute) {
            double f = 0;
            for (int m = minute - 4; m <= minute; m++) {
                f += load(Math.max(0, m));
            }
            f /= 5;
            List<Component> components = new ArrayList<>();
            for (Object[] c : SHOP) {
                int min = (int) c[3];
                components.add(new Component(
                        (String) c[0], PEAK_SCALE * f * (int) c[1] * min / 1000.0, (int) c[2] / 1024.0, min, (int)
                                c[4]));
            }
            List<Edge> edges = new ArrayList<>();
            for (Object[] e : EDGES) {
                double calls = PEAK_SCALE * f * (int) e[2];
                edges.add(new Edge((String) e[0], (String) e[1], calls, calls * (int) e[3]));
            }
            Constraints constraints = new Constraints(
                    List.of(Set.of("cart", "cart-store")),
                    List.of(new Separation("payment", "frontend")),
                    Map.of("payment", "pci=true"));
            Plan now = running;
            return new Problem(
                    components,
                    edges,
                    constraints,
                    agents,
                    stable && now != null ? previous(now) : null,
                    CostModel.DEFAULTS);
        }

        Run day() {
            for (int m = 0; m < 1440; m++) {
                Problem p = problem(m);
                Plan now = running;
                boolean invalid = now != null && shortOfReplicas(now, p);
                boolean drift = now != null && drifted(m);
                if (now == null || invalid || drift) {
                    replan(p, now == null || invalid, m);
                }
                Plan after = running;
                cost[m] = after == null ? 0 : runningCost(after, p);
                Baselines b = baselines(p);
                onePerProcess[m] = b.onePerProcess().costPerHour();
                singleProcess[m] = b.singleProcess().costPerHour();
                appliedBy[m] = applied;
            }
            return this;
        }

        Baselines baselines(Problem p) {
            PlanResult r = planner.plan(p.withPrevious(null));
            return switch (r) {
                case PlanResult.Feasible f -> f.plan().baselines();
                case PlanResult.Infeasible i -> i.baselines();
            };
        }

        /** Every component's cpu moved more than 25 % from the latest plan's, in each of the last five minutes. */
        boolean drifted(int minute) {
            for (Component c : problem(minute).components()) {
                Double base = plannedCpu.get(c.name());
                if (base == null) {
                    continue;
                }
                int direction = 0;
                boolean all = true;
                for (int s = 0; s < 5 && all; s++) {
                    double f = load(Math.max(0, minute - s));
                    double cpu = c.cpu() / averageFactor(minute) * f;
                    double delta = cpu - base;
                    int sign = delta > 0 ? 1 : -1;
                    all = Math.abs(delta) > 0.25 * base
                            && Math.abs(delta) >= 0.05
                            && (direction == 0 || sign == direction);
                    direction = sign;
                }
                if (all) {
                    return true;
                }
            }
            return false;
        }

        double averageFactor(int minute) {
            double f = 0;
            for (int m = minute - 4; m <= minute; m++) {
                f += load(Math.max(0, m));
            }
            return f / 5;
        }

        void replan(Problem p, boolean mustApply, int minute) {
            computed++;
            PlanResult result = planner.plan(p);
            if (!(result instanceof PlanResult.Feasible f)) {
                return;
            }
            Plan next = f.plan();
            p.components().forEach(c -> plannedCpu.put(c.name(), c.cpu()));
            Plan before = running;
            boolean apply = !stable
                    || mustApply
                    || before == null
                    || new Hysteresis(0.05).beats(next.score().costPerHour(), runningCost(before, p));
            if (apply) {
                if (before != null) {
                    restarts.add(restarted(before, next));
                }
                running = next;
                applied++;
            }
        }
    }

    static PreviousPlan previous(Plan plan) {
        List<PreviousPlan.Group> groups = new ArrayList<>();
        for (PlannedGroup g : plan.groups()) {
            groups.add(new PreviousPlan.Group(new HashSet<>(g.components()), g.agents()));
        }
        return new PreviousPlan(groups);
    }

    /** Replicas of {@code next} that are not a replica of the same components on the same agent in {@code before}. */
    static int restarted(Plan before, Plan next) {
        Map<String, Integer> had = new HashMap<>();
        for (PlannedGroup g : before.groups()) {
            for (String agent : g.agents()) {
                had.merge(new TreeSet<>(g.components()) + "@" + agent, 1, Integer::sum);
            }
        }
        int restarted = 0;
        for (PlannedGroup g : next.groups()) {
            for (String agent : g.agents()) {
                String key = new TreeSet<>(g.components()) + "@" + agent;
                if (had.getOrDefault(key, 0) > 0) {
                    had.merge(key, -1, Integer::sum);
                } else {
                    restarted++;
                }
            }
        }
        return restarted;
    }

    /** cpu(g) of a grouping at today's load (the placement README's arithmetic). */
    static double groupCpu(Set<String> group, Problem p) {
        double cpu = 0;
        for (Component c : p.components()) {
            if (group.contains(c.name())) {
                cpu += c.cpu();
            }
        }
        for (Edge e : p.edges()) {
            if (group.contains(e.caller()) != group.contains(e.callee())) {
                cpu += p.costModel().edgeCores(e.callsPerSecond(), e.bytesPerSecond()) / 2;
            }
        }
        return cpu;
    }

    static int neededReplicas(Set<String> group, Problem p) {
        int maxOfMin = 1;
        int minOfMax = Integer.MAX_VALUE;
        for (Component c : p.components()) {
            if (group.contains(c.name())) {
                maxOfMin = Math.max(maxOfMin, c.minReplicas());
                minOfMax = Math.min(minOfMax, c.maxReplicas());
            }
        }
        return p.costModel().replicas(groupCpu(group, p), maxOfMin, minOfMax);
    }

    static boolean shortOfReplicas(Plan plan, Problem p) {
        for (PlannedGroup g : plan.groups()) {
            if (neededReplicas(new HashSet<>(g.components()), p) > g.replicas()) {
                return true;
            }
        }
        return false;
    }

    /** The running plan priced at today's load with the replicas it runs. */
    static double runningCost(Plan plan, Problem p) {
        CostModel m = p.costModel();
        double total = 0;
        for (PlannedGroup g : plan.groups()) {
            Set<String> set = new HashSet<>(g.components());
            double mem = 0;
            for (Component c : p.components()) {
                if (set.contains(c.name())) {
                    mem += c.mem();
                }
            }
            total += m.price(m.cores(groupCpu(set, p), g.replicas()), m.memory(mem, g.replicas()));
        }
        return total;
    }

    static int median(List<Integer> xs) {
        if (xs.isEmpty()) {
            return 0;
        }
        List<Integer> sorted = new ArrayList<>(xs);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    static int max(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    static int sum(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).sum();
    }

    static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }
}
