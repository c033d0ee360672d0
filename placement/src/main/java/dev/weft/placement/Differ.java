package dev.weft.placement;

import dev.weft.placement.model.PreviousPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Relates a new grouping to the previous plan: which old group each new one continues, and what changed. */
final class Differ {
    private Differ() {}

    /**
     * For each new group, the index of the previous group it continues (most shared components, each
     * previous group used once), or -1.
     */
    static int[] match(List<List<String>> newGroups, @Nullable PreviousPlan previous) {
        int[] out = new int[newGroups.size()];
        Arrays.fill(out, -1);
        if (previous == null) {
            return out;
        }
        Map<String, Integer> prevOf = new HashMap<>();
        for (int j = 0; j < previous.groups().size(); j++) {
            for (String c : previous.groups().get(j).components()) {
                prevOf.put(c, j);
            }
        }
        List<long[]> pairs = new ArrayList<>();
        for (int i = 0; i < newGroups.size(); i++) {
            Map<Integer, Integer> overlap = new HashMap<>();
            for (String c : newGroups.get(i)) {
                Integer j = prevOf.get(c);
                if (j != null) {
                    overlap.merge(j, 1, Integer::sum);
                }
            }
            for (Map.Entry<Integer, Integer> e : overlap.entrySet()) {
                boolean same = previous.groups().get(e.getKey()).components().size()
                                == newGroups.get(i).size()
                        && e.getValue() == newGroups.get(i).size();
                pairs.add(new long[] {e.getValue() * 2L + (same ? 1 : 0), i, e.getKey()});
            }
        }
        // Largest overlap first (identical sets win ties), then by index for determinism.
        pairs.sort((x, y) -> x[0] != y[0]
                ? Long.compare(y[0], x[0])
                : x[1] != y[1] ? Long.compare(x[1], y[1]) : Long.compare(x[2], y[2]));
        boolean[] taken = new boolean[previous.groups().size()];
        for (long[] p : pairs) {
            int i = (int) p[1];
            int j = (int) p[2];
            if (out[i] < 0 && !taken[j]) {
                out[i] = j;
                taken[j] = true;
            }
        }
        return out;
    }

    static PlanDiff diff(List<PlannedGroup> groups, int[] match, @Nullable PreviousPlan previous) {
        if (previous == null) {
            int added = groups.stream().mapToInt(PlannedGroup::replicas).sum();
            return new PlanDiff(0, added, 0, 0, List.of(), List.of());
        }
        List<PlanDiff.ReplicaMove> moves = new ArrayList<>();
        int moved = 0;
        int added = 0;
        int removed = 0;
        int unchanged = 0;
        boolean[] used = new boolean[previous.groups().size()];
        for (int i = 0; i < groups.size(); i++) {
            List<String> now = groups.get(i).agents();
            if (match[i] < 0) {
                added += now.size();
                continue;
            }
            used[match[i]] = true;
            List<String> before = previous.groups().get(match[i]).agents();
            Set<String> beforeSet = new HashSet<>(before);
            Set<String> nowSet = new HashSet<>(now);
            int stay = (int) now.stream().filter(beforeSet::contains).count();
            List<String> arrived =
                    now.stream().filter(a -> !beforeSet.contains(a)).toList();
            List<String> left = before.stream().filter(a -> !nowSet.contains(a)).toList();
            int placed = arrived.size();
            int vacated = left.size();
            int m = Math.min(placed, vacated);
            for (int k = 0; k < m; k++) {
                // Pairing in replica order: which old replica a new one "replaces" is a convention, the count is not.
                moves.add(new PlanDiff.ReplicaMove(groups.get(i).id(), left.get(k), arrived.get(k)));
            }
            unchanged += stay;
            moved += m;
            added += placed - m;
            removed += vacated - m;
        }
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                removed += previous.groups().get(j).agents().size();
            }
        }
        return new PlanDiff(moved, added, removed, unchanged, regrouped(groups, previous), moves);
    }

    private static List<String> regrouped(List<PlannedGroup> groups, PreviousPlan previous) {
        Map<String, Set<String>> before = new HashMap<>();
        for (PreviousPlan.Group g : previous.groups()) {
            for (String c : g.components()) {
                before.put(c, g.components());
            }
        }
        TreeSet<String> out = new TreeSet<>();
        for (PlannedGroup g : groups) {
            Set<String> now = Set.copyOf(g.components());
            for (String c : g.components()) {
                if (!now.equals(before.get(c))) {
                    out.add(c);
                }
            }
        }
        return List.copyOf(out);
    }
}
