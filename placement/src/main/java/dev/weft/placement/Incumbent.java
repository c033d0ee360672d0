package dev.weft.placement;

import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.grouping.Groupings;
import dev.weft.placement.model.PreviousPlan;
import dev.weft.placement.model.Problem;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The grouping the previous plan runs, read against today's components, and whether it is still allowed. */
final class Incumbent {
    private Incumbent() {}

    /** Group id per component (components the previous plan does not know get one each), or null without one. */
    static int @Nullable [] assignment(Problem p) {
        PreviousPlan previous = p.previous();
        if (previous == null) {
            return null;
        }
        Map<String, Integer> groupOf = new HashMap<>();
        for (int j = 0; j < previous.groups().size(); j++) {
            for (String c : previous.groups().get(j).components()) {
                groupOf.put(c, j);
            }
        }
        Map<Integer, Integer> renumber = new HashMap<>();
        int[] out = new int[p.components().size()];
        for (int i = 0; i < out.length; i++) {
            Integer j = groupOf.get(p.components().get(i).name());
            // Negative keys for unknown components, so they never collide with a previous group.
            int key = j != null ? j : -1 - i;
            out[i] = renumber.computeIfAbsent(key, k -> renumber.size());
        }
        return out;
    }

    /** True when the grouping meets today's constraints and limits (placement is checked later). */
    static boolean allowed(Problem p, Graph comps, GroupRules rules, int[] assignment) {
        Map<String, Integer> groupOf = new HashMap<>();
        for (int i = 0; i < assignment.length; i++) {
            groupOf.put(p.components().get(i).name(), assignment[i]);
        }
        for (Set<String> set : p.constraints().mustColocate()) {
            if (set.stream().map(groupOf::get).distinct().count() > 1) {
                return false;
            }
        }
        return Groupings.feasible(comps, rules, assignment);
    }
}
