package dev.weft.bench.placement;

import static java.util.Objects.requireNonNull;

import dev.weft.placement.assign.Demand;
import dev.weft.placement.assign.ReplicaPlacer;
import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Preference;
import dev.weft.placement.model.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replica placement alone under load: every component its own group (thousands of replicas) onto 10,000
 * agents, fresh and then again after losing one agent, to time the indexed placer where it has real work.
 */
final class PlacementStress {
    private PlacementStress() {}

    static void run(int components, int agents, int runs) {
        Problem p = BenchProblems.generate(components * 31L + agents, components, components * 10, agents);
        CostModel m = p.costModel();
        List<Demand> demands = new ArrayList<>();
        for (Component c : p.components()) {
            int r = m.replicas(
                    c.cpu(), Math.max(c.minReplicas(), 2), c.maxReplicas()); // at least 2: zone spread matters
            String pin = p.constraints().pins().get(c.name());
            demands.add(new Demand(
                    c.name(),
                    r,
                    m.cores(c.cpu(), r) / r,
                    m.memory(c.mem(), r) / r,
                    pin == null ? Set.of() : Set.of(pin),
                    List.of()));
        }
        int replicas = demands.stream().mapToInt(Demand::replicas).sum();
        for (Preference pref : Preference.values()) {
            ReplicaPlacer placer = new ReplicaPlacer(pref);
            long[] fresh = new long[runs];
            long[] replace = new long[runs];
            int kept = 0;
            int total = 0;
            int onLost = 0;
            for (int i = 0; i < runs + 2; i++) {
                long t0 = System.nanoTime();
                var placed = (ReplicaPlacer.Outcome.Placed) placer.place(demands, p.agents());
                long t1 = System.nanoTime();
                // Lose the agent of the first replica of the first group and place again with the previous agents kept.
                String lost = requireNonNull(
                                placed.agentsByGroup().get(demands.get(0).groupId()))
                        .get(0);
                List<Agent> remaining =
                        p.agents().stream().filter(a -> !a.id().equals(lost)).toList();
                List<Demand> again = demands.stream()
                        .map(d -> new Demand(
                                d.groupId(),
                                d.replicas(),
                                d.cpuPerReplica(),
                                d.memPerReplica(),
                                d.labels(),
                                requireNonNull(placed.agentsByGroup().get(d.groupId()))))
                        .toList();
                long t2 = System.nanoTime();
                var replaced = (ReplicaPlacer.Outcome.Placed) placer.place(again, remaining);
                long t3 = System.nanoTime();
                if (i >= 2) {
                    fresh[i - 2] = t1 - t0;
                    replace[i - 2] = t3 - t2;
                }
                kept = 0;
                total = 0;
                onLost = 0;
                for (Map.Entry<String, List<String>> e : placed.agentsByGroup().entrySet()) {
                    for (String a : e.getValue()) {
                        total++;
                        if (a.equals(lost)) {
                            onLost++;
                        }
                        if (requireNonNull(replaced.agentsByGroup().get(e.getKey()))
                                .contains(a)) {
                            kept++;
                        }
                    }
                }
            }
            Arrays.sort(fresh);
            Arrays.sort(replace);
            System.out.printf(
                    "| %s | %d | %d | %d | %.1f | %.1f | %d of %d (%d were on the lost agent) |%n",
                    pref,
                    components,
                    replicas,
                    agents,
                    fresh[runs / 2] / 1e6,
                    replace[runs / 2] / 1e6,
                    kept,
                    total,
                    onLost);
        }
    }
}
