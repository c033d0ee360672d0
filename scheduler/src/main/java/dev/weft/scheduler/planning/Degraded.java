package dev.weft.scheduler.planning;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Preference;
import dev.weft.scheduler.planning.PlanRecord.Assignment;
import dev.weft.scheduler.planning.PlanRecord.Group;
import dev.weft.scheduler.planning.PlanRecord.Unplaced;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * When the running plan broke and no full plan fits, what can run keeps running: the running grouping is kept, each
 * replica whose agent can still run it stays, and the replicas each group needs at today's load are placed, one by
 * one, on eligible agents with room (best fit by free cpu under PACK, the emptiest agent under SPREAD), each group on
 * distinct agents and only on agents carrying its pins' labels. What finds no agent is listed as unplaced.
 */
final class Degraded {

    private Degraded() {}

    record Result(List<Group> groups, List<Unplaced> unplaced) {}

    static Result place(PlanRecord current, BuiltProblem built, long versionId, long generation) {
        Costs costs = new Costs(built.problem());
        Map<String, double[]> free = new HashMap<>();
        for (Agent a : built.problem().agents()) {
            free.put(a.id(), new double[] {a.cpuCapacity() - a.cpuUsed(), a.memCapacity() - a.memUsed()});
        }
        Preference preference = built.problem().costModel().preference();
        List<Group> groups = new ArrayList<>();
        List<Unplaced> unplaced = new ArrayList<>();
        // kept replicas first, everywhere, so new ones only take room that is really free
        Map<Integer, List<Assignment>> kept = new HashMap<>();
        for (Group g : current.groups()) {
            Set<String> set = g.componentSet();
            int wanted = costs.replicas(set);
            List<Assignment> stay = new ArrayList<>();
            for (Assignment a : g.assignments()) {
                if (stay.size() < wanted
                        && built.agents().containsKey(a.agentId())
                        && carriesPins(g, a.agentId(), built)) {
                    stay.add(a);
                    double[] room = free.get(a.agentId());
                    if (room != null) {
                        room[0] -= a.cpuMillis() / 1000.0;
                        room[1] -= a.memoryMiB() / 1024.0;
                    }
                }
            }
            kept.put(g.index(), stay);
        }
        for (Group g : current.groups()) {
            Set<String> set = g.componentSet();
            int wanted = costs.replicas(set);
            double cpuEach = costs.coresPerReplica(set, wanted);
            double memEach = costs.memoryPerReplica(set);
            List<Assignment> assignments = new ArrayList<>(kept.getOrDefault(g.index(), List.of()));
            Set<String> used = new HashSet<>();
            assignments.forEach(a -> used.add(a.agentId()));
            Set<Integer> indexes = new HashSet<>();
            assignments.forEach(a -> indexes.add(a.replicaIndex()));
            int nextIndex = 0;
            for (int k = assignments.size(); k < wanted; k++) {
                String agent = pick(g, built, free, used, cpuEach, memEach, preference);
                if (agent == null) {
                    unplaced.add(new Unplaced(
                            "INSUFFICIENT_CAPACITY",
                            "group " + g.name(),
                            String.format(
                                    Locale.ROOT,
                                    "group %s: %d of %d replica(s) could not be placed: each needs %.3f cores and %.3f GiB%s and no eligible agent has that room",
                                    g.name(),
                                    wanted - k,
                                    wanted,
                                    cpuEach,
                                    memEach,
                                    pins(g, built))));
                    break;
                }
                while (indexes.contains(nextIndex)) {
                    nextIndex++;
                }
                indexes.add(nextIndex);
                used.add(agent);
                double[] room = java.util.Objects.requireNonNull(free.get(agent));
                room[0] -= cpuEach;
                room[1] -= memEach;
                assignments.add(new Assignment(
                        "a" + versionId + "-" + generation + "-" + g.index() + "-" + nextIndex,
                        agent,
                        nextIndex,
                        (int) Math.ceil(cpuEach * 1000 - 1e-6),
                        (int) Math.ceil(memEach * 1024 - 1e-6)));
            }
            assignments.sort(java.util.Comparator.comparingInt(Assignment::replicaIndex));
            groups.add(new Group(
                    g.index(),
                    g.name(),
                    g.components(),
                    wanted,
                    costs.cpu(set),
                    cpuEach * wanted,
                    memEach * wanted,
                    g.labels(),
                    assignments));
        }
        return new Result(groups, unplaced);
    }

    private static boolean carriesPins(Group g, String agentId, BuiltProblem built) {
        Set<String> labels = built.labels().getOrDefault(agentId, Set.of());
        for (String c : g.components()) {
            String pin = built.pins().get(c);
            if (pin != null && !labels.contains(pin)) {
                return false;
            }
        }
        return true;
    }

    private static String pins(Group g, BuiltProblem built) {
        Set<String> labels = new java.util.TreeSet<>();
        for (String c : g.components()) {
            String pin = built.pins().get(c);
            if (pin != null) {
                labels.add(pin);
            }
        }
        return labels.isEmpty() ? "" : " on an agent labelled " + labels;
    }

    private static @Nullable String pick(
            Group g,
            BuiltProblem built,
            Map<String, double[]> free,
            Set<String> used,
            double cpu,
            double mem,
            Preference preference) {
        String best = null;
        double bestFree = 0;
        for (String agent : new java.util.TreeSet<>(built.eligible())) {
            double[] room = free.get(agent);
            if (room == null || used.contains(agent) || !carriesPins(g, agent, built)) {
                continue;
            }
            if (room[0] + 1e-9 < cpu || room[1] + 1e-9 < mem) {
                continue;
            }
            boolean better = best == null
                    || switch (preference) {
                        case PACK -> room[0] < bestFree;
                        case SPREAD -> room[0] > bestFree;
                    };
            if (better) {
                best = agent;
                bestFree = room[0];
            }
        }
        return best;
    }
}
