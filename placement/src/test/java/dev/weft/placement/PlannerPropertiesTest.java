package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.PreviousPlan;
import dev.weft.placement.model.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Invariants every plan must keep, on random problems of up to 40 components (exact and heuristic paths). */
class PlannerPropertiesTest {
  private final Planner planner = new Planner();

  /** The plan; random constraints can be impossible (e.g. crossing bounds), such samples are skipped. */
  private static Plan feasible(PlanResult r) {
    return switch (r) {
      case PlanResult.Feasible f -> f.plan();
      case PlanResult.Infeasible i -> {
        Assume.that(false);
        throw new AssertionError("unreachable: " + i.reasons());
      }
    };
  }

  @Property(tries = 150)
  void everyPlanRespectsCapacityConstraintsAndZones(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                    @ForAll @IntRange(min = 1, max = 40) int size) {
    Problem p = Problems.random(seed, size, true);
    Plan plan = feasible(planner.plan(p));
    assertThat(PlanChecker.violations(p, plan, true)).isEmpty();
  }

  @Property(tries = 100)
  void tightAgentsStillGiveValidPlansOrExplainedInfeasibility(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                              @ForAll @IntRange(min = 2, max = 30) int size) {
    Problem p = Problems.random(seed, size, true).withAgents(Problems.agents(4 + (int) (seed % 5), 2, 4, 8));
    switch (planner.plan(p)) {
      case PlanResult.Feasible f -> assertThat(PlanChecker.violations(p, f.plan(), false)).isEmpty();
      case PlanResult.Infeasible i -> assertThat(i.reasons()).allSatisfy(r -> assertThat(r.message()).isNotBlank());
    }
  }

  @Property(tries = 30)
  void sameInputAndSeedGiveTheSamePlan(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                       @ForAll @IntRange(min = 2, max = 80) int size) {
    Problem p = Problems.random(seed, size, true);
    assertThat(new Planner().plan(p)).isEqualTo(new Planner().plan(p));
  }

  @Property(tries = 150)
  void neverCostsMoreThanTheBetterFeasibleBaseline(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                   @ForAll @IntRange(min = 1, max = 60) int size) {
    Problem p = Problems.random(seed, size, seed % 3 == 0);
    PlanResult result = planner.plan(p);
    if (result instanceof PlanResult.Infeasible i) {
      // No plan is only acceptable when neither extreme is feasible either.
      assertThat(i.baselines().onePerProcess().feasible()).isFalse();
      assertThat(i.baselines().singleProcess().feasible()).isFalse();
      return;
    }
    Plan plan = ((PlanResult.Feasible) result).plan();
    Baselines b = plan.baselines();
    double cost = plan.score().costPerHour();
    if (b.onePerProcess().feasible()) {
      assertThat(cost).isLessThanOrEqualTo(b.onePerProcess().costPerHour() + 1e-12);
    }
    if (b.singleProcess().feasible()) {
      assertThat(cost).isLessThanOrEqualTo(b.singleProcess().costPerHour() + 1e-12);
    }
  }

  @Property(tries = 60)
  void replanningTheSameInputMovesNothing(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                          @ForAll @IntRange(min = 2, max = 40) int size) {
    Problem p = Problems.random(seed, size, true);
    Plan first = feasible(planner.plan(p));
    Plan second = feasible(planner.plan(p.withPrevious(previousOf(first))));
    assertThat(second.groups()).isEqualTo(first.groups());
    assertThat(second.diff()).isEqualTo(new PlanDiff(0, 0, 0, first.score().replicas(), List.of(), List.of()));
  }

  @Property(tries = 80)
  void losingOneAgentMovesOnlyTheReplicasItHosted(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                  @ForAll @IntRange(min = 2, max = 40) int size) {
    Problem p = Problems.random(seed, size, true);
    Plan first = feasible(planner.plan(p));
    List<String> used = first.groups().stream().flatMap(g -> g.agents().stream()).distinct().sorted().toList();
    Assume.that(!used.isEmpty());
    String lost = used.get((int) (seed % used.size()));
    List<Agent> remaining = p.agents().stream().filter(a -> !a.id().equals(lost)).toList();
    Problem again = p.withAgents(remaining).withPrevious(previousOf(first));
    Plan second = feasible(planner.plan(again));
    if (!second.diff().regrouped().isEmpty()) {
      // Regrouping (which moves replicas) is only allowed for a gain beyond the regroup margin.
      assertThat(second.score().costPerHour()).isLessThan(planner.costOfPrevious(again).getAsDouble()
          * (1 - PlannerOptions.DEFAULTS.regroupMargin()));
      return;
    }

    Map<String, PlannedGroup> before = new HashMap<>();
    first.groups().forEach(g -> before.put(g.id(), g));
    int hosted = 0;
    for (PlannedGroup g : second.groups()) {
      PlannedGroup old = before.get(g.id());
      assertThat(old).as("same groups when nothing was regrouped").isNotNull();
      for (String a : old.agents()) {
        if (a.equals(lost)) {
          hosted++;
        } else {
          assertThat(g.agents()).as("replica of %s on %s stays", g.id(), a).contains(a);
        }
      }
    }
    assertThat(second.diff().moved()).isEqualTo(hosted);
    assertThat(second.diff().moves()).hasSize(hosted).allSatisfy(m -> assertThat(m.from()).isEqualTo(lost));
    assertThat(PlanChecker.violations(p.withAgents(remaining), second, true)).isEmpty();
  }

  static PreviousPlan previousOf(Plan plan) {
    return new PreviousPlan(plan.groups().stream()
        .map(g -> new PreviousPlan.Group(java.util.Set.copyOf(g.components()), g.agents())).toList());
  }
}
