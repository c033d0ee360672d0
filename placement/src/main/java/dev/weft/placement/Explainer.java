package dev.weft.placement;

import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.grouping.Groupings;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes, per group, the heaviest edges it keeps in-process (and what that saves) and the heaviest edges it
 * leaves remote (and the limit or cost that forced the cut).
 */
final class Explainer {
  private static final int TOP = 5;

  private Explainer() {}

  private record Pair(String a, String b, double w) {}

  static List<GroupExplanation> explain(Problem p, Graph comps, GroupRules rules, int[] assignment,
                                        List<String> groupIds) {
    CostModel m = rules.model();
    Groupings.Totals t = Groupings.totals(comps, assignment);
    Map<String, Integer> groupOfName = new HashMap<>();
    for (int i = 0; i < p.components().size(); i++) {
      groupOfName.put(p.components().get(i).name(), t.groupOf()[i]);
    }
    // Undirected weight per component pair, named after the heavier direction's caller.
    Map<String, Pair> pairs = new HashMap<>();
    Map<String, Double> heavier = new HashMap<>();
    for (Edge e : p.edges()) {
      if (e.caller().equals(e.callee())) {
        continue;
      }
      double w = m.edgeCores(e.callsPerSecond(), e.bytesPerSecond());
      boolean ordered = e.caller().compareTo(e.callee()) < 0;
      String key = ordered ? e.caller() + "\u0000" + e.callee() : e.callee() + "\u0000" + e.caller();
      Pair old = pairs.get(key);
      double sum = (old == null ? 0 : old.w()) + w;
      boolean flip = old != null && heavier.getOrDefault(key, 0.0) >= w;
      Pair np = flip ? new Pair(old.a(), old.b(), sum) : new Pair(e.caller(), e.callee(), sum);
      heavier.merge(key, w, Math::max);
      pairs.put(key, np);
    }
    int groups = t.groups();
    List<List<EdgeNote>> together = new ArrayList<>();
    List<List<Pair>> cut = new ArrayList<>();
    for (int k = 0; k < groups; k++) {
      together.add(new ArrayList<>());
      cut.add(new ArrayList<>());
    }
    Map<Long, Double> between = new HashMap<>();
    List<Pair> sorted = new ArrayList<>(pairs.values());
    sorted.sort(Comparator.comparingDouble(Pair::w).reversed().thenComparing(Pair::a).thenComparing(Pair::b));
    for (Pair e : sorted) {
      int ga = groupOfName.get(e.a());
      int gb = groupOfName.get(e.b());
      double dollars = m.price(e.w() / m.targetUtilization(), 0);
      if (ga == gb) {
        if (together.get(ga).size() < TOP) {
          together.get(ga).add(new EdgeNote(e.a(), e.b(), e.w(), dollars, String.format(
              "in-process: saves %.4f cores of remote-call overhead ($%.5f/h)", e.w(), dollars)));
        }
      } else {
        between.merge(key(ga, gb), e.w(), Double::sum);
        cut.get(ga).add(e);
        cut.get(gb).add(e);
      }
    }
    List<GroupExplanation> out = new ArrayList<>(groups);
    for (int k = 0; k < groups; k++) {
      List<EdgeNote> cutNotes = new ArrayList<>();
      for (Pair e : cut.get(k).subList(0, Math.min(TOP, cut.get(k).size()))) {
        int ga = groupOfName.get(e.a());
        int gb = groupOfName.get(e.b());
        double dollars = m.price(e.w() / m.targetUtilization(), 0);
        cutNotes.add(new EdgeNote(e.a(), e.b(), e.w(), dollars,
            whyCut(p, rules, t, ga, gb, between.get(key(ga, gb)), groupOfName)));
      }
      out.add(new GroupExplanation(groupIds.get(k), together.get(k), cutNotes));
    }
    out.sort(Comparator.comparing(GroupExplanation::group));
    return out;
  }

  private static long key(int a, int b) {
    return a < b ? ((long) a << 32) | b : ((long) b << 32) | a;
  }

  private static String whyCut(Problem p, GroupRules rules, Groupings.Totals t, int a, int b, double w,
                               Map<String, Integer> groupOfName) {
    for (Separation s : p.constraints().mustSeparate()) {
      int sa = groupOfName.get(s.a());
      int sb = groupOfName.get(s.b());
      if ((sa == a && sb == b) || (sa == b && sb == a)) {
        return "kept apart: must-separate " + s.a() + "/" + s.b();
      }
    }
    double cpu = t.cpu()[a] + t.cpu()[b] - w;
    double mem = t.mem()[a] + t.mem()[b];
    int mn = Math.max(t.maxMin()[a], t.maxMin()[b]);
    int mx = Math.min(t.minMax()[a], t.minMax()[b]);
    Set<String> labels = new java.util.TreeSet<>(t.labels().get(a));
    labels.addAll(t.labels().get(b));
    String why = rules.whyNot(cpu, mem, mn, mx, Set.copyOf(labels));
    if (why != null) {
      return "kept apart: one process would break a limit: " + why;
    }
    CostModel m = rules.model();
    double merged = rules.cost(cpu, mem, mn, mx);
    double apart = rules.cost(t.cpu()[a], t.mem()[a], t.maxMin()[a], t.minMax()[a])
        + rules.cost(t.cpu()[b], t.mem()[b], t.maxMin()[b], t.minMax()[b]);
    int r = m.replicas(cpu, mn, mx);
    int ra = m.replicas(t.cpu()[a], t.maxMin()[a], t.minMax()[a]);
    int rb = m.replicas(t.cpu()[b], t.maxMin()[b], t.minMax()[b]);
    if (merged > apart) {
      return String.format("kept apart: one process would cost $%.5f/h more (%d replicas x %.3f GiB instead of "
              + "%d x %.3f GiB + %d x %.3f GiB)", merged - apart, r, m.processMem() + mem, ra,
          m.processMem() + t.mem()[a], rb, m.processMem() + t.mem()[b]);
    }
    return String.format("kept apart by the grouping found; joining alone would save $%.5f/h but conflicts "
        + "with the rest of the plan", apart - merged);
  }
}
