package dev.weft.placement;

import dev.weft.placement.assign.ReplicaPlacer;
import dev.weft.placement.grouping.AgentLimits;
import dev.weft.placement.grouping.ExactGrouper;
import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.grouping.Groupings;
import dev.weft.placement.grouping.HeuristicGrouper;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.PreviousPlan;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Reason;
import dev.weft.placement.model.ReasonCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

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

  private record Candidate(String solver, int[] assignment, double cost, boolean proven) {}

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
    if (book.singleFeasible() && !java.util.Arrays.equals(solvedNormal, book.singles)) {
      candidates.add(new Candidate("one-per-process", book.singles, book.singleCost, false));
    }
    if (book.oneFeasible() && !java.util.Arrays.equals(solvedNormal, book.one)) {
      candidates.add(new Candidate("single-process", book.one, book.oneCost, false));
    }
    if (candidates.isEmpty()) {
      List<Reason> reasons = violations.stream()
          .map(v -> new Reason(ReasonCode.NO_FEASIBLE_GROUPING, "grouping", v)).toList();
      return new PlanResult.Infeasible(reasons, book.baselines());
    }
    // Stable sort: on equal cost the solver's grouping stays first.
    candidates.sort(Comparator.comparingDouble(Candidate::cost));
    List<Reason> firstFailure = null;
    for (Candidate c : candidates) {
      Layout layout = Layout.of(p, comps, rules, c.assignment());
      ReplicaPlacer.Outcome outcome = new ReplicaPlacer(m.preference()).place(layout.demands(), p.agents());
      switch (outcome) {
        case ReplicaPlacer.Outcome.Placed placed -> {
          List<PlannedGroup> groups = layout.withAgents(placed.agentsByGroup());
          double componentCpu = p.components().stream().mapToDouble(x -> x.cpu()).sum();
          PlanDiff diff = Differ.diff(groups, layout.match(), p.previous());
          return new PlanResult.Feasible(new Plan(Layout.sortedById(groups), layout.score(groups, m, componentCpu),
              book.baselines(), diff,
              Explainer.explain(p, comps, rules, c.assignment(), layout.ids()), c.solver(), c.proven()));
        }
        case ReplicaPlacer.Outcome.Unplaced unplaced -> {
          if (firstFailure == null) {
            firstFailure = unplaced.reasons();
          }
          book.placementFailed(c.assignment(), unplaced.reasons());
        }
      }
    }
    return new PlanResult.Infeasible(firstFailure, book.baselines());
  }

  private Candidate solve(Graph merged, GroupRules rules) {
    int restarts = options.restarts() >= 0 ? options.restarts() : HeuristicGrouper.defaultRestarts(merged.size());
    HeuristicGrouper heuristic = new HeuristicGrouper(rules, new SplittableRandom(options.seed()), restarts);
    int[] nodes = heuristic.solve(merged);
    String solver = "heuristic";
    boolean proven = false;
    if (merged.size() <= options.exactLimit()) {
      ExactGrouper.Result exact = ExactGrouper.solve(merged, rules, nodes, options.exactNodeBudget());
      if (exact.groupOf() != null) {
        nodes = exact.groupOf();
      }
      solver = "exact";
      proven = exact.proven();
    }
    int[] assignment = lift(merged, nodes);
    return new Candidate(solver, assignment, Groupings.cost(merged, rules, nodes), proven);
  }

  /**
   * The cost, under the problem's current load and cost model, of the grouping the previous plan runs (components
   * it does not know get a process each), so {@link Hysteresis} can compare a new plan with what runs now.
   */
  public OptionalDouble costOfPrevious(Problem p) {
    PreviousPlan previous = p.previous();
    if (previous == null) {
      return OptionalDouble.empty();
    }
    Map<String, Integer> groupOf = new HashMap<>();
    for (int j = 0; j < previous.groups().size(); j++) {
      for (String c : previous.groups().get(j).components()) {
        groupOf.put(c, j);
      }
    }
    int[] assignment = new int[p.components().size()];
    int next = previous.groups().size();
    for (int i = 0; i < assignment.length; i++) {
      Integer j = groupOf.get(p.components().get(i).name());
      assignment[i] = j != null ? j : next++;
    }
    Graph comps = Graph.of(p, false);
    GroupRules rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
    return OptionalDouble.of(Groupings.cost(comps, rules, compact(assignment)));
  }

  /** Renumbers group ids to 0..k-1 (the evaluators index arrays by group id). */
  private static int[] compact(int[] ids) {
    Map<Integer, Integer> renumber = new HashMap<>();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = renumber.computeIfAbsent(ids[i], k -> renumber.size());
    }
    return out;
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
