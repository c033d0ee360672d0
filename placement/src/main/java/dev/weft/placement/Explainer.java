package dev.weft.placement;

import static java.util.Objects.requireNonNull;

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

    static List<GroupExplanation> explain(
            Problem p,
            Graph comps,
            GroupRules rules,
            int[] assignment,
            List<String> groupIds,
            Solver solver,
            double regroupMargin) {
        CostModel m = rules.model();
        Groupings.Totals t = Groupings.totals(comps, assignment);
        Context context = new Context(
                p, rules, t, groupOfName(p, t), solver, regroupMargin, Groupings.cost(comps, rules, assignment));
        Map<String, Integer> groupOfName = context.groupOfName();
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
            Pair np = old != null && flip ? new Pair(old.a(), old.b(), sum) : new Pair(e.caller(), e.callee(), sum);
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
        sorted.sort(Comparator.comparingDouble(Pair::w)
                .reversed()
                .thenComparing(Pair::a)
                .thenComparing(Pair::b));
        for (Pair e : sorted) {
            int ga = requireNonNull(groupOfName.get(e.a()));
            int gb = requireNonNull(groupOfName.get(e.b()));
            double dollars = m.price(e.w() / m.targetUtilization(), 0);
            if (ga == gb) {
                if (together.get(ga).size() < TOP) {
                    together.get(ga)
                            .add(new EdgeNote(
                                    e.a(),
                                    e.b(),
                                    e.w(),
                                    dollars,
                                    String.format(
                                            "in-process: saves %.4f cores of remote-call overhead ($%.5f/h)",
                                            e.w(), dollars)));
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
                int ga = requireNonNull(groupOfName.get(e.a()));
                int gb = requireNonNull(groupOfName.get(e.b()));
                double dollars = m.price(e.w() / m.targetUtilization(), 0);
                cutNotes.add(new EdgeNote(
                        e.a(),
                        e.b(),
                        e.w(),
                        dollars,
                        whyCut(context, ga, gb, requireNonNull(between.get(key(ga, gb))))));
            }
            out.add(new GroupExplanation(groupIds.get(k), together.get(k), cutNotes));
        }
        out.sort(Comparator.comparing(GroupExplanation::group));
        return out;
    }

    private static long key(int a, int b) {
        return a < b ? ((long) a << 32) | b : ((long) b << 32) | a;
    }

    /** What every cut explanation needs to know about the plan. */
    private record Context(
            Problem p,
            GroupRules rules,
            Groupings.Totals t,
            Map<String, Integer> groupOfName,
            Solver solver,
            double regroupMargin,
            double planCost) {}

    private static Map<String, Integer> groupOfName(Problem p, Groupings.Totals t) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < p.components().size(); i++) {
            out.put(p.components().get(i).name(), t.groupOf()[i]);
        }
        return out;
    }

    private static String whyCut(Context x, int a, int b, double w) {
        Groupings.Totals t = x.t();
        for (Separation s : x.p().constraints().mustSeparate()) {
            int sa = requireNonNull(x.groupOfName().get(s.a()));
            int sb = requireNonNull(x.groupOfName().get(s.b()));
            if ((sa == a && sb == b) || (sa == b && sb == a)) {
                return "kept apart: must-separate " + s.a() + "/" + s.b();
            }
        }
        GroupRules rules = x.rules();
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
        // No limit forces the cut, so it is about money: price both sides, memory and cores apart.
        CostModel m = rules.model();
        int r = m.replicas(cpu, mn, mx);
        int ra = m.replicas(t.cpu()[a], t.maxMin()[a], t.minMax()[a]);
        int rb = m.replicas(t.cpu()[b], t.maxMin()[b], t.minMax()[b]);
        double memJoined = m.memory(mem, r);
        double memApart = m.memory(t.mem()[a], ra) + m.memory(t.mem()[b], rb);
        double coresJoined = m.cores(cpu, r);
        double coresApart = m.cores(t.cpu()[a], ra) + m.cores(t.cpu()[b], rb);
        double extra = m.price(coresJoined, memJoined) - m.price(coresApart, memApart);
        String figures = String.format(
                "memory %d x %.3f GiB = %.3f GiB instead of %d x %.3f + %d x %.3f = %.3f GiB "
                        + "(%s/h), cores %.3f instead of %.3f (%s/h)",
                r,
                m.processMem() + mem,
                memJoined,
                ra,
                m.processMem() + t.mem()[a],
                rb,
                m.processMem() + t.mem()[b],
                memApart,
                signed(m.price(0, memJoined - memApart)),
                coresJoined,
                coresApart,
                signed(m.price(coresJoined - coresApart, 0)));
        double noise = 1e-12 * Math.max(1, x.planCost());
        if (extra > noise) {
            return String.format(
                    "kept apart: one process would cost $%.5f/h more than the two apart: %s", extra, figures);
        }
        if (extra >= -noise) {
            return String.format("kept apart: one process would cost the same as the two apart: %s", figures);
        }
        // Joining would be cheaper: only a plan that is not the proven optimum leaves that, and it says which it is.
        double saving = -extra;
        return switch (x.solver()) {
            case PREVIOUS ->
                String.format(
                        "kept apart because the running grouping is kept: joining would save $%.5f/h "
                                + "(%.2f %% of the plan's $%.5f/h), and processes are only regrouped for more than the %.0f %% regroup "
                                + "margin: %s",
                        saving, 100 * saving / x.planCost(), x.planCost(), 100 * x.regroupMargin(), figures);
            case ONE_PER_PROCESS, SINGLE_PROCESS ->
                String.format(
                        "kept apart: the cheaper groupings found could not be "
                                + "placed on the agents, so the plan falls back on %s; joining would save $%.5f/h: %s",
                        x.solver().label(), saving, figures);
            case EXACT, EXACT_PARTIAL, HEURISTIC ->
                String.format(
                        "kept apart by the %s search, which did not reach the "
                                + "cheaper grouping: joining would save $%.5f/h: %s",
                        x.solver().label(), saving, figures);
        };
    }

    private static String signed(double dollars) {
        return (dollars < 0 ? "-$" : "+$") + String.format("%.5f", Math.abs(dollars));
    }
}
