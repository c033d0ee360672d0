package dev.weft.scheduler.planning;

import dev.weft.scheduler.planning.PlanRecord.Assignment;
import dev.weft.scheduler.planning.PlanRecord.Group;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What changes from one plan to another, replica by replica: groups are matched by the largest overlap of their
 * components; within a matched pair a replica on an agent both use is unchanged, one that leaves an agent while
 * another arrives elsewhere moved, the rest added or removed. {@code restarted} counts replicas whose assignment id
 * changes (moved, added, or regrouped on the same agent): the processes an agent starts anew.
 *
 * @param regrouped components whose process companions changed, sorted
 */
record PlanDiffView(
        int moved, int added, int removed, int unchanged, int restarted, List<String> regrouped, List<Move> moves) {

    static final PlanDiffView NONE = new PlanDiffView(0, 0, 0, 0, 0, List.of(), List.of());

    PlanDiffView {
        regrouped = List.copyOf(regrouped);
        moves = List.copyOf(moves);
    }

    /** One replica of {@code group} that leaves agent {@code from} for agent {@code to}. */
    record Move(String group, String from, String to) {}

    /** From {@code before} (empty: nothing ran) to {@code after}. */
    static PlanDiffView between(List<Group> before, List<Group> after) {
        List<Group> unmatched = new ArrayList<>(before);
        int moved = 0;
        int added = 0;
        int removed = 0;
        int unchanged = 0;
        List<Move> moves = new ArrayList<>();
        for (Group next : after) {
            Group previous = bestMatch(next, unmatched);
            if (previous == null) {
                added += next.assignments().size();
                continue;
            }
            unmatched.remove(previous);
            List<String> leaving = agents(previous);
            List<String> arriving = new ArrayList<>();
            for (String agent : agents(next)) {
                if (!leaving.remove(agent)) {
                    arriving.add(agent);
                } else {
                    unchanged++;
                }
            }
            int pairs = Math.min(leaving.size(), arriving.size());
            for (int i = 0; i < pairs; i++) {
                moves.add(new Move(next.name(), leaving.get(i), arriving.get(i)));
            }
            moved += pairs;
            added += arriving.size() - pairs;
            removed += leaving.size() - pairs;
        }
        for (Group gone : unmatched) {
            removed += gone.assignments().size();
        }
        Set<String> beforeIds = ids(before);
        int restarted = 0;
        for (Group g : after) {
            for (Assignment a : g.assignments()) {
                if (!beforeIds.contains(a.assignmentId())) {
                    restarted++;
                }
            }
        }
        return new PlanDiffView(moved, added, removed, unchanged, restarted, regrouped(before, after), moves);
    }

    private static Set<String> ids(List<Group> groups) {
        Set<String> out = new HashSet<>();
        groups.forEach(g -> g.assignments().forEach(a -> out.add(a.assignmentId())));
        return out;
    }

    private static List<String> agents(Group g) {
        List<String> out = new ArrayList<>();
        g.assignments().forEach(a -> out.add(a.agentId()));
        out.sort(null);
        return out;
    }

    private static @Nullable Group bestMatch(Group next, List<Group> candidates) {
        @Nullable Group best = null;
        int bestOverlap = 0;
        for (Group candidate : candidates) {
            int overlap = 0;
            for (String c : next.components()) {
                if (candidate.components().contains(c)) {
                    overlap++;
                }
            }
            if (overlap > bestOverlap) {
                best = candidate;
                bestOverlap = overlap;
            }
        }
        return best;
    }

    /** Components whose group in {@code after} has other members than in {@code before} (all, when new). */
    private static List<String> regrouped(List<Group> before, List<Group> after) {
        if (before.isEmpty()) {
            return List.of();
        }
        Map<String, Set<String>> was = new HashMap<>();
        before.forEach(g -> g.components().forEach(c -> was.put(c, g.componentSet())));
        Set<String> out = new TreeSet<>();
        for (Group g : after) {
            Set<String> now = g.componentSet();
            for (String c : g.components()) {
                if (!now.equals(was.get(c))) {
                    out.add(c);
                }
            }
        }
        return List.copyOf(out);
    }
}
