package dev.weft.placement;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a plan against the problem with its own arithmetic (not the planner's), so a bug in the planner's
 * bookkeeping cannot hide itself.
 */
final class PlanChecker {
    private PlanChecker() {}

    /** Cost of a grouping straight from the documented formulas. */
    static double cost(Problem p, List<List<String>> groups) {
        CostModel m = p.costModel();
        Map<String, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (String c : groups.get(g)) {
                groupOf.put(c, g);
            }
        }
        double[] cpu = new double[groups.size()];
        double[] mem = new double[groups.size()];
        int[] lo = new int[groups.size()];
        int[] hi = new int[groups.size()];
        java.util.Arrays.fill(hi, Integer.MAX_VALUE);
        for (Component c : p.components()) {
            int g = groupOf.get(c.name());
            cpu[g] += c.cpu();
            mem[g] += c.mem();
            lo[g] = Math.max(lo[g], c.minReplicas());
            hi[g] = Math.min(hi[g], c.maxReplicas());
        }
        for (Edge e : p.edges()) {
            int a = groupOf.get(e.caller());
            int b = groupOf.get(e.callee());
            if (a != b) {
                double w = m.callCpu() * e.callsPerSecond() + m.byteCpu() * e.bytesPerSecond();
                cpu[a] += w / 2;
                cpu[b] += w / 2;
            }
        }
        double total = 0;
        for (int g = 0; g < groups.size(); g++) {
            long r = (long) Math.ceil(cpu[g] / (m.replicaCpuMax() * m.targetUtilization()) - 1e-9);
            r = Math.min(Math.max(r, lo[g]), hi[g]);
            double cores = r * m.processCpu() + cpu[g] / m.targetUtilization();
            double memory = r * (m.processMem() + mem[g]);
            total += m.pricePerCoreHour() * cores + m.pricePerGiBHour() * memory;
        }
        return total;
    }

    /** Every broken rule of the plan, in words; empty when the plan is valid. */
    static List<String> violations(Problem p, Plan plan, boolean checkZoneSkew) {
        List<String> out = new ArrayList<>();
        Map<String, PlannedGroup> groupOf = new HashMap<>();
        for (PlannedGroup g : plan.groups()) {
            for (String c : g.components()) {
                if (groupOf.put(c, g) != null) {
                    out.add(c + " is in two groups");
                }
            }
        }
        for (Component c : p.components()) {
            if (!groupOf.containsKey(c.name())) {
                out.add(c.name() + " is in no group");
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        for (Set<String> set : p.constraints().mustColocate()) {
            if (set.stream().map(groupOf::get).distinct().count() > 1) {
                out.add("must-colocate " + set + " split");
            }
        }
        for (Separation s : p.constraints().mustSeparate()) {
            if (groupOf.get(s.a()) == groupOf.get(s.b())) {
                out.add("must-separate " + s + " together");
            }
        }
        Map<String, Agent> agents = new HashMap<>();
        p.agents().forEach(a -> agents.put(a.id(), a));
        Map<String, double[]> load = new HashMap<>();
        Set<String> zones = new HashSet<>();
        p.agents().forEach(a -> zones.add(a.zone()));
        for (PlannedGroup g : plan.groups()) {
            if (g.agents().size() != g.replicas()) {
                out.add(g.id() + " has " + g.replicas() + " replicas but "
                        + g.agents().size() + " agents");
            }
            if (new HashSet<>(g.agents()).size() != g.agents().size()) {
                out.add(g.id() + " has two replicas on one agent");
            }
            for (String c : g.components()) {
                Component comp = p.components().stream()
                        .filter(x -> x.name().equals(c))
                        .findFirst()
                        .orElseThrow();
                if (g.replicas() < comp.minReplicas() || g.replicas() > comp.maxReplicas()) {
                    out.add(g.id() + " replicas " + g.replicas() + " outside bounds of " + c);
                }
                String pin = p.constraints().pins().get(c);
                for (String a : g.agents()) {
                    if (pin != null
                            && agents.containsKey(a)
                            && !agents.get(a).labels().contains(pin)) {
                        out.add(c + " pinned to " + pin + " but runs on " + a);
                    }
                }
            }
            Map<String, Integer> perZone = new HashMap<>();
            for (String a : g.agents()) {
                Agent agent = agents.get(a);
                if (agent == null) {
                    out.add(g.id() + " on unknown agent " + a);
                    continue;
                }
                double[] l = load.computeIfAbsent(a, k -> new double[2]);
                l[0] += g.cores() / g.replicas();
                l[1] += g.memory() / g.replicas();
                perZone.merge(agent.zone(), 1, Integer::sum);
            }
            if (checkZoneSkew) {
                Set<String> eligibleZones = new HashSet<>();
                p.agents().stream()
                        .filter(a -> a.labels().containsAll(g.labels()))
                        .forEach(a -> eligibleZones.add(a.zone()));
                int max = eligibleZones.stream()
                        .mapToInt(z -> perZone.getOrDefault(z, 0))
                        .max()
                        .orElse(0);
                int min = eligibleZones.stream()
                        .mapToInt(z -> perZone.getOrDefault(z, 0))
                        .min()
                        .orElse(0);
                if (max - min > 1) {
                    out.add(g.id() + " zone skew " + perZone);
                }
            }
        }
        load.forEach((a, l) -> {
            Agent agent = agents.get(a);
            if (agent.cpuUsed() + l[0] > agent.cpuCapacity() + 1e-6
                    || agent.memUsed() + l[1] > agent.memCapacity() + 1e-6) {
                out.add("agent " + a + " over capacity: " + l[0] + " cores, " + l[1] + " GiB");
            }
        });
        double expected =
                cost(p, plan.groups().stream().map(PlannedGroup::components).toList());
        if (Math.abs(expected - plan.score().costPerHour()) > 1e-9 * Math.max(1, expected)) {
            out.add("score " + plan.score().costPerHour() + " but formulas give " + expected);
        }
        return out;
    }
}
