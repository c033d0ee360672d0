package dev.weft.scheduler.planning;

import dev.weft.placement.model.Component;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The placement cost model applied to a given grouping (the running plan's) under today's load, with the arithmetic
 * of placement/README.md: so the running plan is priced with the replicas it really runs, and its groups' needs are
 * known at today's load.
 */
final class Costs {

    private final Problem problem;
    private final CostModel model;
    private final Map<String, Component> components = new HashMap<>();

    Costs(Problem problem) {
        this.problem = problem;
        this.model = problem.costModel();
        problem.components().forEach(c -> components.put(c.name(), c));
    }

    /** cpu(g): the components' cores plus half of every cut edge touching the group. */
    double cpu(Set<String> group) {
        double cpu = 0;
        for (String name : group) {
            Component c = components.get(name);
            if (c != null) {
                cpu += c.cpu();
            }
        }
        for (Edge e : problem.edges()) {
            boolean a = group.contains(e.caller());
            boolean b = group.contains(e.callee());
            if (a != b) {
                cpu += model.edgeCores(e.callsPerSecond(), e.bytesPerSecond()) / 2;
            }
        }
        return cpu;
    }

    /** GiB each replica of the group needs for its components (without the process's own). */
    double memory(Set<String> group) {
        return group.stream()
                .map(components::get)
                .filter(java.util.Objects::nonNull)
                .mapToDouble(Component::mem)
                .sum();
    }

    /** replicas(g) at today's load: raised to the largest minReplicas, capped by the smallest maxReplicas. */
    int replicas(Set<String> group) {
        int maxOfMin = 1;
        int minOfMax = Integer.MAX_VALUE;
        for (String name : group) {
            Component c = components.get(name);
            if (c != null) {
                maxOfMin = Math.max(maxOfMin, c.minReplicas());
                minOfMax = Math.min(minOfMax, c.maxReplicas());
            }
        }
        return model.replicas(cpu(group), maxOfMin, Math.max(1, minOfMax));
    }

    /** Dollars per hour of the group running {@code replicas} replicas. */
    double cost(Set<String> group, int replicas) {
        int r = Math.max(1, replicas);
        return model.price(model.cores(cpu(group), r), model.memory(memory(group), r));
    }

    /** Cores one of {@code replicas} replicas of the group needs (its share of the group's requested cores). */
    double coresPerReplica(Set<String> group, int replicas) {
        int r = Math.max(1, replicas);
        return model.cores(cpu(group), r) / r;
    }

    /** GiB one replica of the group needs, the process's own included. */
    double memoryPerReplica(Set<String> group) {
        return model.processMem() + memory(group);
    }

    /** Dollars per hour of a whole grouping, each group with its replica count. */
    double cost(List<Set<String>> groups, List<Integer> replicas) {
        double total = 0;
        for (int i = 0; i < groups.size(); i++) {
            total += cost(groups.get(i), replicas.get(i));
        }
        return total;
    }
}
