package dev.weft.placement;

import dev.weft.placement.assign.Demand;
import dev.weft.placement.assign.ReplicaPlacer;
import dev.weft.placement.grouping.AgentLimits;
import dev.weft.placement.grouping.ExactGrouper;
import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.grouping.Groupings;
import dev.weft.placement.grouping.HeuristicGrouper;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Reason;
import dev.weft.placement.model.ReasonCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Computes a colocation plan: grouping (exact when small, heuristic otherwise), replica sizing, placement on
 * agents, baselines, explanations and the diff from the previous plan. Stateless; safe to share.
 */
public final class Planner {
    private final PlannerOptions options;

    public Planner(PlannerOptions options) {
        this.options = options;
    }

    public Planner() {
        this(PlannerOptions.DEFAULTS);
    }

    /** A grouping the planner may place (a class, not a record: it holds an array). */
    private static final class Candidate {
        private final Solver solver;
        private final int[] assignment;
        private final double cost;
        private final boolean proven;

        Candidate(Solver solver, int[] assignment, double cost, boolean proven) {
            this.solver = solver;
            this.assignment = assignment;
            this.cost = cost;
            this.proven = proven;
        }

        Solver solver() {
            return solver;
        }

        int[] assignment() {
            return assignment;
        }

        double cost() {
            return cost;
        }

        boolean proven() {
            return proven;
        }
    }

    public PlanResult plan(Problem p) {
        CostModel m = p.costModel();
        GroupRules rules = new GroupRules(m, new AgentLimits(p.agents()));
        Graph comps = Graph.of(p, false);
        Graph merged = Graph.of(p, true);
        BaselineBook book = new BaselineBook(p, comps, rules);
        List<Reason> pre = Prechecks.check(p, merged, rules);
        if (!pre.isEmpty()) {
            return new PlanResult.Infeasible(pre, book.baselines());
        }
        Candidate solved = solve(merged, rules);
        List<String> violations = Groupings.violations(comps, rules, solved.assignment());
        List<Candidate> candidates = new ArrayList<>();
        if (violations.isEmpty()) {
            candidates.add(solved);
        }
        // A baseline that is the solver's own grouping adds nothing (and would be placed twice).
        int[] solvedNormal = Groupings.totals(comps, solved.assignment()).groupOf();
        if (book.singleFeasible() && !Arrays.equals(solvedNormal, book.singles)) {
            candidates.add(new Candidate(Solver.ONE_PER_PROCESS, book.singles, book.singleCost, false));
        }
        if (book.oneFeasible() && !Arrays.equals(solvedNormal, book.one)) {
            candidates.add(new Candidate(Solver.SINGLE_PROCESS, book.one, book.oneCost, false));
        }
        // Stable sort: on equal cost the solver's grouping stays first.
        candidates.sort(Comparator.comparingDouble(Candidate::cost));
        keepPreviousIfCloseEnough(p, comps, rules, solvedNormal, candidates);
        if (candidates.isEmpty()) {
            List<Reason> reasons = violations.stream()
                    .map(v -> new Reason(ReasonCode.NO_FEASIBLE_GROUPING, "grouping", v))
                    .toList();
            return new PlanResult.Infeasible(reasons, book.baselines());
        }
        // Cheapest first; when one cannot be placed the next is tried, and the first failure is what gets reported.
        List<Reason> firstFailure = List.of();
        GroupRules solverRules = rules;
        int retries = 0;
        for (int at = 0; at < candidates.size(); at++) {
            Candidate c = candidates.get(at);
            Layout layout = Layout.of(p, comps, rules, c.assignment());
            ReplicaPlacer.Outcome outcome = new ReplicaPlacer(m.preference()).place(layout.demands(), p.agents());
            switch (outcome) {
                case ReplicaPlacer.Outcome.Placed placed -> {
                    List<PlannedGroup> groups = layout.withAgents(placed.agentsByGroup());
                    double componentCpu =
                            p.components().stream().mapToDouble(x -> x.cpu()).sum();
                    PlanDiff diff = Differ.diff(groups, layout.match(), p.previous());
                    return new PlanResult.Feasible(new Plan(
                            Layout.sortedById(groups),
                            layout.score(groups, m, componentCpu),
                            book.baselines(),
                            diff,
                            Explainer.explain(
                                    p, comps, rules, c.assignment(), layout.ids(), c.solver(), options.regroupMargin()),
                            c.solver().label(),
                            c.proven()));
                }
                case ReplicaPlacer.Outcome.Unplaced unplaced -> {
                    if (firstFailure.isEmpty()) {
                        firstFailure = unplaced.reasons();
                    }
                    book.placementFailed(c.assignment(), unplaced.reasons());
                    // Groups are judged one at a time, so the solver's groups can each fit and still not fit together
                    // on the agents they compete for. Solve again with smaller replicas for the groups that failed,
                    // and try that grouping next.
                    GroupRules tighter = c.solver().searched() && retries < PLACEMENT_RETRIES
                            ? tighten(solverRules, layout.demands(), unplaced.reasons())
                            : null;
                    if (tighter != null) {
                        retries++;
                        solverRules = tighter;
                        Candidate again = solve(merged, solverRules, options.searchBudget() / RETRY_BUDGET_SHARE);
                        if (Groupings.violations(comps, rules, again.assignment())
                                .isEmpty()) {
                            // Optimal under the ceilings is no proof under the agents' real limits.
                            Solver label = again.solver() == Solver.EXACT ? Solver.EXACT_PARTIAL : again.solver();
                            candidates.add(at + 1, new Candidate(label, again.assignment(), again.cost(), false));
                        }
                    }
                }
            }
        }
        return new PlanResult.Infeasible(firstFailure, book.baselines());
    }

    /** Placement failures of a searched grouping answered by solving again with smaller replicas, at most. */
    private static final int PLACEMENT_RETRIES = 3;

    /**
     * A retry runs the anytime search with this fraction of {@code searchBudget} (1/4): the ceilings change only the
     * groups that failed, so a short search settles, and three retries add at most 3/4 of the budget to the plan's
     * time instead of three times it.
     */
    private static final int RETRY_BUDGET_SHARE = 4;

    /**
     * The rules with a ceiling on the replicas of every group that could not be placed for lack of capacity: in the
     * dimension it used most of its agents' largest free capacity, 80 % of what its replica needed. Null when no
     * failure is of that kind.
     */
    private static @Nullable GroupRules tighten(GroupRules rules, List<Demand> demands, List<Reason> reasons) {
        AgentLimits limits = rules.limits();
        boolean any = false;
        for (Reason r : reasons) {
            if (r.code() != ReasonCode.INSUFFICIENT_CAPACITY) {
                continue;
            }
            for (Demand d : demands) {
                if (!r.subject().equals("group " + d.groupId())) {
                    continue;
                }
                AgentLimits.Frontier f = limits.forLabels(d.labels());
                double cpuShare = f.maxCpu() > 0 ? d.cpuPerReplica() / f.maxCpu() : 1;
                double memShare = f.maxMem() > 0 ? d.memPerReplica() / f.maxMem() : 1;
                limits = memShare >= cpuShare
                        ? limits.withCeiling(d.labels(), Double.POSITIVE_INFINITY, 0.8 * d.memPerReplica())
                        : limits.withCeiling(d.labels(), 0.8 * d.cpuPerReplica(), Double.POSITIVE_INFINITY);
                any = true;
            }
        }
        return any ? rules.withLimits(limits) : null;
    }

    /**
     * Puts the running grouping first when it is still allowed and within {@code regroupMargin} of the best
     * candidate (solver or baseline), so replicas are not reshuffled for a gain within search noise.
     */
    private void keepPreviousIfCloseEnough(
            Problem p, Graph comps, GroupRules rules, int[] solvedNormal, List<Candidate> candidates) {
        int[] previous = Incumbent.assignment(p);
        if (previous == null
                || Arrays.equals(previous, solvedNormal)
                || !Incumbent.allowed(p, comps, rules, previous)) {
            return;
        }
        Candidate keep = new Candidate(Solver.PREVIOUS, previous, Groupings.cost(comps, rules, previous), false);
        // candidates holds the solver's grouping and the feasible baselines, cheapest first.
        double best = candidates.isEmpty()
                ? Double.POSITIVE_INFINITY
                : candidates.get(0).cost();
        if (keep.cost() <= best * (1 + options.regroupMargin())) {
            candidates.add(0, keep);
        } else {
            candidates.add(keep);
            candidates.sort(Comparator.comparingDouble(Candidate::cost));
        }
    }

    private Candidate solve(Graph merged, GroupRules rules) {
        return solve(merged, rules, options.searchBudget());
    }

    /** The solver's grouping of merged under rules, with {@code searchBudget} units of anytime search. */
    private Candidate solve(Graph merged, GroupRules rules, long searchBudget) {
        boolean exactWillRun = merged.size() <= options.exactLimit();
        // When the exact search runs, the heuristic only seeds its bound: a short run is enough.
        int restarts = options.restarts() >= 0
                ? options.restarts()
                : exactWillRun
                        ? Math.min(30, HeuristicGrouper.defaultRestarts(merged.size()))
                        : HeuristicGrouper.defaultRestarts(merged.size());
        // When the exact search runs, it decides; the anytime search only serves larger inputs.
        long budget = exactWillRun ? 0 : searchBudget;
        HeuristicGrouper heuristic =
                new HeuristicGrouper(rules, new SplittableRandom(options.seed()), restarts, budget);
        int[] nodes = heuristic.solve(merged);
        Solver solver = Solver.HEURISTIC;
        boolean proven = false;
        if (exactWillRun) {
            ExactGrouper.Result exact = ExactGrouper.solve(merged, rules, nodes, options.exactNodeBudget());
            if (exact.groupOf() != null) {
                nodes = exact.groupOf();
            }
            proven = exact.proven();
            // "exact" promises the optimum; a search cut short by its budget only kept the best of the heuristic's
            // grouping and what it reached, and says so.
            solver = proven ? Solver.EXACT : Solver.EXACT_PARTIAL;
        }
        int[] assignment = lift(merged, nodes);
        return new Candidate(solver, assignment, Groupings.cost(merged, rules, nodes), proven);
    }

    /**
     * The cost, under the problem's current load and cost model, of the grouping the previous plan runs (components
     * it does not know get a process each), so {@link Hysteresis} can compare a new plan with what runs now.
     */
    public OptionalDouble costOfPrevious(Problem p) {
        int[] assignment = Incumbent.assignment(p);
        if (assignment == null) {
            return OptionalDouble.empty();
        }
        Graph comps = Graph.of(p, false);
        GroupRules rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
        return OptionalDouble.of(Groupings.cost(comps, rules, assignment));
    }

    /** Component-level group ids from node-level ones. */
    static int[] lift(Graph merged, int[] nodeGroups) {
        int c = merged.componentCount();
        int[] out = new int[c];
        for (int i = 0; i < c; i++) {
            out[i] = nodeGroups[merged.nodeOfComponent(i)];
        }
        return out;
    }
}
