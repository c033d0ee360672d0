package dev.weft.placement;

import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.grouping.Groupings;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Keeps the two baseline groupings, their cost and what rules them out (constraints first, then any
 * placement failure found when the planner had to fall back on them).
 */
final class BaselineBook {
    final int[] singles;
    final int[] one;
    final double singleCost;
    final double oneCost;
    private final List<String> singleViolations = new ArrayList<>();
    private final List<String> oneViolations = new ArrayList<>();
    private final Graph comps;

    BaselineBook(Problem p, Graph comps, GroupRules rules) {
        this.comps = comps;
        int n = comps.size();
        singles = new int[n];
        for (int i = 0; i < n; i++) {
            singles[i] = i;
        }
        one = new int[n];
        singleCost = Groupings.cost(comps, rules, singles);
        oneCost = Groupings.cost(comps, rules, one);
        for (Set<String> set : p.constraints().mustColocate()) {
            if (set.size() > 1) {
                singleViolations.add("must-colocate " + new java.util.TreeSet<>(set) + " would be split");
            }
        }
        singleViolations.addAll(Groupings.violations(comps, rules, singles));
        if (n > 0) {
            oneViolations.addAll(Groupings.violations(comps, rules, one));
        }
    }

    boolean singleFeasible() {
        return singleViolations.isEmpty();
    }

    boolean oneFeasible() {
        return oneViolations.isEmpty();
    }

    /** Records that a grouping could not be placed; if it is a baseline, that baseline becomes infeasible. */
    void placementFailed(int[] assignment, List<Reason> reasons) {
        int[] normal = Groupings.totals(comps, assignment).groupOf();
        List<String> text = reasons.stream()
                .map(r -> "placement: " + r.subject() + ": " + r.message())
                .toList();
        if (Arrays.equals(normal, singles)) {
            singleViolations.addAll(text);
        }
        if (Arrays.equals(normal, one)) {
            oneViolations.addAll(text);
        }
    }

    Baselines baselines() {
        return new Baselines(
                new Baseline(singleCost, singleFeasible(), singleViolations),
                new Baseline(oneCost, oneFeasible(), oneViolations));
    }
}
