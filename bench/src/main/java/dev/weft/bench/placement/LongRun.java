package dev.weft.bench.placement;

import dev.weft.placement.grouping.AgentLimits;
import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.grouping.HeuristicGrouper;
import dev.weft.placement.model.Problem;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The long reference search of the quality benchmark, about {@code seconds} of one core's cpu per instance, in four
 * phases that each start from the best grouping known so far (stored, or the plan):
 *
 * <ol>
 *   <li>40 %: the planner's own anytime search ({@link HeuristicGrouper#improve}) with that much budget;
 *   <li>30 %: the whole heuristic from scratch with another seed and that budget, for a different basin;
 *   <li>15 %: simulated annealing ({@link Annealer}, written apart from the planner), from the best so far;
 *   <li>15 %: the anytime search again from the best, with a third seed.
 * </ol>
 *
 * Budgets are work units; units per cpu-second are measured on the instance first. Every candidate is priced with
 * the planner's cost arithmetic; a result is stored only when it is allowed, the planner itself places it, and it
 * is cheaper than what was stored.
 */
final class LongRun {
    private LongRun() {}

    static int[] search(Problem p, String name, int[] plan, ReferenceStore store, double seconds, long seed) {
        Optional<ReferenceStore.Stored> stored = store.read(name, p);
        double storedCost = stored.map(s -> Priced.of(p, s.groupOf()).cost()).orElse(Double.POSITIVE_INFINITY);
        int[] best = plan;
        String from = "plan";
        if (stored.isPresent() && storedCost < Priced.of(p, plan).cost()) {
            best = stored.get().groupOf();
            from = "stored best";
        }
        double startCost = Priced.of(p, best).cost();
        Graph g = Graph.of(p, true);
        GroupRules rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        // Calibration: units per cpu-nanosecond of the anytime search on this instance.
        long probe = 2_000_000;
        HeuristicGrouper calibrate = new HeuristicGrouper(rules, new SplittableRandom(seed), 1, probe);
        best = better(p, best, toComponents(g, calibrate.improve(g, toNodes(g, best))));
        double unitsPerNano =
                (double) Math.max(1, calibrate.searchWork()) / Math.max(1, threads.getCurrentThreadCpuTime() - c0);
        // Rounds until the time is spent: the anytime search from the best, the whole heuristic afresh, annealing
        // from the best, and the search again; each a quarter of the time at most (a settled search stops early).
        String[] phase = {"search", "fresh", "anneal", "search"};
        int[] wins = new int[phase.length];
        double unit =
                p.costModel().price(p.costModel().processCpu(), p.costModel().processMem());
        Annealer annealer = new Annealer(p);
        int round = 0;
        while (true) {
            double left = seconds - (threads.getCurrentThreadCpuTime() - c0) / 1e9;
            if (left <= 0) {
                break;
            }
            double slice = Math.min(left, seconds / 4);
            long units = Math.max(1_000_000, (long) (unitsPerNano * slice * 1e9));
            long s = seed + 10L * round;
            int kind = round % phase.length;
            int[] found = switch (kind) {
                case 0, 3 ->
                    toComponents(
                            g,
                            new HeuristicGrouper(rules, new SplittableRandom(s), 1, units)
                                    .improve(g, toNodes(g, best)));
                case 1 ->
                    toComponents(
                            g,
                            new HeuristicGrouper(
                                            rules,
                                            new SplittableRandom(s),
                                            HeuristicGrouper.defaultRestarts(g.size()),
                                            units)
                                    .solve(g));
                default ->
                    annealer.toComponents(
                            annealer.run(annealer.toNodes(best), (long) (slice * 1e9), s, 0.05 * unit, 2));
            };
            int[] next = better(p, best, found);
            if (!java.util.Arrays.equals(next, best)) {
                wins[kind]++;
                best = next;
            }
            round++;
        }
        StringBuilder log = new StringBuilder();
        for (int k = 0; k < phase.length; k++) {
            log.append(k == 0 ? " " : ", ").append(phase[k]).append(" won ").append(wins[k]);
        }
        log.append(" of ").append(round).append(" rounds");
        double took = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        Priced priced = Priced.of(p, best);
        System.err.printf(
                "%s: %s %.6f -> %.6f in %.0f cpu s;%s (stored %.6f)%n",
                name, from, startCost, priced.cost(), took, log, storedCost);
        if (priced.allowed() && priced.cost() < storedCost * (1 - 1e-12)) { // best is placeable: see better()
            store.write(
                    name,
                    p,
                    best,
                    String.format(
                            "cost %.9f $/h; long run of %.0f cpu s from the %s (seed %d), %s",
                            priced.cost(), took, from, seed, Instant.now()));
            return best;
        }
        return stored.map(ReferenceStore.Stored::groupOf).orElse(plan);
    }

    /**
     * The candidate when it is allowed, cheaper, and the planner itself can place it (groups judged one at a time can
     * each fit and still not fit together); otherwise the incumbent (the very same array).
     */
    private static int[] better(Problem p, int[] incumbent, int[] candidate) {
        Priced c = Priced.of(p, candidate);
        boolean wins = c.allowed() && c.cost() < Priced.of(p, incumbent).cost() && Priced.placeable(p, candidate);
        return wins ? candidate : incumbent;
    }

    /** Node-level groups, renumbered 0..k-1 (the search indexes groups by node count). */
    private static int[] toNodes(Graph g, int[] components) {
        int[] out = new int[g.size()];
        java.util.Map<Integer, Integer> renumber = new java.util.HashMap<>();
        for (int i = 0; i < components.length; i++) {
            out[g.nodeOfComponent(i)] = renumber.computeIfAbsent(components[i], k -> renumber.size());
        }
        return out;
    }

    private static int[] toComponents(Graph g, int[] nodes) {
        int[] out = new int[g.componentCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nodes[g.nodeOfComponent(i)];
        }
        return out;
    }
}
