package dev.weft.bench.placement;

import dev.weft.placement.Plan;
import dev.weft.placement.PlanResult;
import dev.weft.placement.PlannedGroup;
import dev.weft.placement.Planner;
import dev.weft.placement.PlannerOptions;
import dev.weft.placement.grouping.AgentLimits;
import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.grouping.Groupings;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.PreviousPlan;
import dev.weft.placement.model.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A component-level grouping priced with the documented cost model ({@link Groupings#cost}, the planner's own
 * arithmetic), with its groups, replicas and replica fill: Σ cpu(g) ÷ (Σ replicas × replicaCpuMax ×
 * targetUtilization), cpu(g) including the group's share of cut edges, i.e. the replica-weighted mean fill.
 */
record Priced(double cost, int groups, int replicas, double fill, boolean allowed) {
    static Priced of(Problem p, int[] groupOf) {
        Graph g = Graph.of(p, false);
        GroupRules rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
        CostModel m = p.costModel();
        Groupings.Totals t = Groupings.totals(g, groupOf);
        double cpu = 0;
        int replicas = 0;
        for (int k = 0; k < t.groups(); k++) {
            cpu += t.cpu()[k];
            replicas += m.replicas(t.cpu()[k], t.maxMin()[k], t.minMax()[k]);
        }
        boolean allowed = Groupings.feasible(g, rules, groupOf) && colocated(p, groupOf);
        return new Priced(
                Groupings.cost(g, rules, groupOf),
                t.groups(),
                replicas,
                cpu / (replicas * m.replicaCpuMax() * m.targetUtilization()),
                allowed);
    }

    private static boolean colocated(Problem p, int[] groupOf) {
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < groupOf.length; i++) {
            byName.put(p.components().get(i).name(), groupOf[i]);
        }
        for (Set<String> set : p.constraints().mustColocate()) {
            if (set.stream().map(byName::get).distinct().count() > 1) {
                return false;
            }
        }
        return true;
    }

    /** The grouping as a list of group numbers by first appearance, so equal groupings compare equal. */
    private static List<Integer> normal(int[] groupOf) {
        Map<Integer, Integer> renumber = new HashMap<>();
        List<Integer> out = new ArrayList<>(groupOf.length);
        for (int k : groupOf) {
            out.add(renumber.computeIfAbsent(k, x -> renumber.size()));
        }
        return out;
    }

    /** Group id per component of a plan. */
    static int[] groupsOf(Problem p, Plan plan) {
        Map<String, Integer> byName = new HashMap<>();
        List<PlannedGroup> groups = plan.groups();
        for (int k = 0; k < groups.size(); k++) {
            for (String c : groups.get(k).components()) {
                byName.put(c, k);
            }
        }
        int[] out = new int[p.components().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Objects.requireNonNull(
                    byName.get(p.components().get(i).name()));
        }
        return out;
    }

    /**
     * True when the planner itself places this grouping on the problem's agents: given it as the running plan with
     * a regroup margin of 99 %, the planner keeps it ("previous") unless it breaks a limit or cannot be placed.
     */
    static boolean placeable(Problem p, int[] groupOf) {
        Map<Integer, Set<String>> groups = new TreeMap<>();
        for (int i = 0; i < groupOf.length; i++) {
            groups.computeIfAbsent(groupOf[i], k -> new HashSet<>())
                    .add(p.components().get(i).name());
        }
        List<PreviousPlan.Group> previous = new ArrayList<>();
        groups.values().forEach(s -> previous.add(new PreviousPlan.Group(s, List.of())));
        PlanResult r = new Planner(PlannerOptions.DEFAULTS.withRegroupMargin(0.99))
                .plan(p.withPrevious(new PreviousPlan(previous)));
        if (!(r instanceof PlanResult.Feasible f)) {
            return false;
        }
        // Kept as the running grouping, or it is the planner's own grouping (then it was never a separate candidate).
        return f.plan().solver().equals("previous")
                || normal(groupsOf(p, f.plan())).equals(normal(groupOf));
    }
}
