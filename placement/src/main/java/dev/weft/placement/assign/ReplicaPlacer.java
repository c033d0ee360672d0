package dev.weft.placement.assign;

import static java.util.Objects.requireNonNull;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Preference;
import dev.weft.placement.model.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts every replica of every group on an agent: capacity respected, one replica per agent per group,
 * zones balanced (skew at most 1 where capacity allows), pins honoured, packing or spreading, and
 * replicas kept on their previous agent while it stays valid.
 */
public final class ReplicaPlacer {
    private final Preference preference;

    public ReplicaPlacer(Preference preference) {
        this.preference = preference;
    }

    /** Either every group's agents (one per replica) or the reasons some replica has no home. */
    public sealed interface Outcome {
        record Placed(Map<String, List<String>> agentsByGroup) implements Outcome {
            public Placed {
                agentsByGroup = Map.copyOf(agentsByGroup);
            }
        }

        record Unplaced(List<Reason> reasons) implements Outcome {
            public Unplaced {
                reasons = List.copyOf(reasons);
            }
        }
    }

    public Outcome place(List<Demand> demands, List<Agent> agents) {
        AgentIndex index = new AgentIndex(agents);
        int zones = index.zones.size();
        Map<String, List<Integer>> chosen = new LinkedHashMap<>();
        Map<String, int[]> zoneCounts = new LinkedHashMap<>();
        // Phase 1: every group keeps what it can, before any new replica may take that capacity.
        for (Demand d : demands) {
            List<Integer> mine = new ArrayList<>();
            int[] perZone = new int[zones];
            keep(d, index, mine, perZone);
            chosen.put(d.groupId(), mine);
            zoneCounts.put(d.groupId(), perZone);
        }
        // Phase 2: the remaining replicas, largest first (first-fit decreasing packs tighter).
        List<Demand> order = new ArrayList<>(demands);
        order.sort(Comparator.comparingDouble((Demand d) -> -d.memPerReplica())
                .thenComparingDouble(d -> -d.cpuPerReplica())
                .thenComparing(Demand::groupId));
        List<Reason> reasons = new ArrayList<>();
        boolean pack = switch (preference) {
            case PACK -> true;
            case SPREAD -> false;
        };
        for (Demand d : order) {
            List<Integer> mine = requireNonNull(chosen.get(d.groupId()));
            int[] perZone = requireNonNull(zoneCounts.get(d.groupId()));
            Set<Integer> used = new HashSet<>(mine);
            // the group's agents are out of the walks while it places the rest (same choices, found sooner)
            mine.forEach(index::hide);
            boolean placed = true;
            while (mine.size() < d.replicas()) {
                int agent = -1;
                for (int z : zonesByCount(perZone, index, d)) {
                    agent = index.find(
                            z, d.labels(), d.cpuPerReplica(), d.memPerReplica(), pack, i -> !used.contains(i));
                    if (agent >= 0) {
                        break;
                    }
                }
                if (agent < 0) {
                    placed = false;
                    break;
                }
                index.take(agent, d.cpuPerReplica(), d.memPerReplica());
                index.hide(agent);
                mine.add(agent);
                used.add(agent);
                perZone[index.zoneOf[agent]]++;
            }
            index.unhide(mine);
            if (!placed) {
                reasons.add(Shortfalls.explain(d, index, used, mine.size()));
            }
        }
        if (!reasons.isEmpty()) {
            return new Outcome.Unplaced(reasons);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        chosen.forEach((g, list) ->
                out.put(g, list.stream().map(i -> index.agent(i).id()).toList()));
        return new Outcome.Placed(out);
    }

    private static void keep(Demand d, AgentIndex index, List<Integer> mine, int[] perZone) {
        List<Integer> valid = new ArrayList<>();
        for (String id : d.keep()) {
            Integer i = index.indexOf(id);
            // Fit is checked before trimming: trimming first could give up an agent that still fits and keep one that
            // no longer does, which costs a move keeping the other would have avoided.
            if (i != null
                    && !valid.contains(i)
                    && index.hasLabels(i, d.labels())
                    && index.fits(i, d.cpuPerReplica(), d.memPerReplica())) {
                valid.add(i);
            }
        }
        // Fewer replicas than before: give up replicas in the most crowded zones first, so balance improves.
        while (valid.size() > d.replicas()) {
            int[] counts = new int[perZone.length];
            valid.forEach(i -> counts[index.zoneOf[i]]++);
            int drop = valid.size() - 1;
            for (int j = valid.size() - 1; j >= 0; j--) {
                if (counts[index.zoneOf[valid.get(j)]] > counts[index.zoneOf[valid.get(drop)]]) {
                    drop = j;
                }
            }
            valid.remove(/* index */ drop); // drop is a position in valid, not an agent
        }
        for (int i : valid) {
            index.take(
                    i, d.cpuPerReplica(), d.memPerReplica()); // distinct agents: each fit is independent of the others
            mine.add(i);
            perZone[index.zoneOf[i]]++;
        }
    }

    /** Zones that can host the group, fewest replicas of it first (ties by zone name), for zone balance. */
    private static List<Integer> zonesByCount(int[] perZone, AgentIndex index, Demand d) {
        List<Integer> zs = new ArrayList<>(perZone.length);
        for (int z = 0; z < perZone.length; z++) {
            if (!index.zoneTree(z, d.labels()).isEmpty()) {
                zs.add(z);
            }
        }
        zs.sort(Comparator.comparingInt((Integer z) -> perZone[z]).thenComparingInt(z -> z));
        return zs;
    }
}
