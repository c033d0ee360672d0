package dev.weft.placement;

import static java.util.Objects.requireNonNull;

import dev.weft.placement.assign.Demand;
import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.grouping.Groupings;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A grouping sized into groups (replicas, cores, memory) and turned into placement demands. */
final class Layout {
    private record Sized(
            String id,
            List<String> components,
            int replicas,
            double cpu,
            double cores,
            double memory,
            Set<String> labels) {}

    private final List<Sized> groups; // in the grouping's own group order
    private final int[] match;
    private final List<Demand> demands;

    private Layout(List<Sized> groups, int[] match, List<Demand> demands) {
        this.groups = groups;
        this.match = match;
        this.demands = demands;
    }

    static Layout of(Problem p, Graph comps, GroupRules rules, int[] assignment) {
        CostModel m = rules.model();
        Groupings.Totals t = Groupings.totals(comps, assignment);
        List<List<String>> members = new ArrayList<>(t.groups());
        for (int k = 0; k < t.groups(); k++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < p.components().size(); i++) {
            members.get(t.groupOf()[i]).add(p.components().get(i).name());
        }
        List<Sized> sized = new ArrayList<>(t.groups());
        for (int k = 0; k < t.groups(); k++) {
            List<String> names = members.get(k).stream().sorted().toList();
            int r = m.replicas(t.cpu()[k], t.maxMin()[k], t.minMax()[k]);
            sized.add(new Sized(
                    names.get(0),
                    names,
                    r,
                    t.cpu()[k],
                    m.cores(t.cpu()[k], r),
                    m.memory(t.mem()[k], r),
                    t.labels().get(k)));
        }
        int[] match = Differ.match(sized.stream().map(Sized::components).toList(), p.previous());
        List<Demand> demands = new ArrayList<>(sized.size());
        for (int k = 0; k < sized.size(); k++) {
            Sized s = sized.get(k);
            List<String> keep = match[k] >= 0
                    ? requireNonNull(p.previous()).groups().get(match[k]).agents()
                    : List.of();
            demands.add(new Demand(
                    s.id(), s.replicas(), s.cores() / s.replicas(), s.memory() / s.replicas(), s.labels(), keep));
        }
        return new Layout(sized, match, demands);
    }

    List<Demand> demands() {
        return demands;
    }

    int[] match() {
        return match;
    }

    List<String> ids() {
        return groups.stream().map(Sized::id).toList();
    }

    /** The planned groups (same order as {@link #match()}) with their agents. */
    List<PlannedGroup> withAgents(Map<String, List<String>> agentsByGroup) {
        List<PlannedGroup> out = new ArrayList<>(groups.size());
        for (Sized s : groups) {
            out.add(new PlannedGroup(
                    s.id(),
                    s.components(),
                    s.replicas(),
                    s.cpu(),
                    s.cores(),
                    s.memory(),
                    List.copyOf(s.labels()),
                    requireNonNull(agentsByGroup.get(s.id()))));
        }
        return out;
    }

    Score score(List<PlannedGroup> planned, CostModel m, double componentCpu) {
        double cores = 0;
        double memory = 0;
        double cpu = 0;
        int replicas = 0;
        for (PlannedGroup g : planned) {
            cores += g.cores();
            memory += g.memory();
            cpu += g.cpu();
            replicas += g.replicas();
        }
        return new Score(
                m.price(cores, memory), cores, memory, Math.max(0, cpu - componentCpu), planned.size(), replicas);
    }

    static List<PlannedGroup> sortedById(List<PlannedGroup> groups) {
        return groups.stream().sorted(Comparator.comparing(PlannedGroup::id)).toList();
    }
}
