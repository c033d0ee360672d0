package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void randomProblemPlans() {
    for (long seed = 0; seed < 20; seed++) {
      var p = Problems.random(seed, 9, true);
      var result = new Planner().plan(p);
      System.out.println(seed + " " + result.getClass().getSimpleName() + " " + (result instanceof PlanResult.Feasible f
          ? f.plan().score() + " " + f.plan().solver() + " groups=" + f.plan().groups().stream().map(g -> g.components()).toList()
          : ((PlanResult.Infeasible) result).reasons()));
      if (result instanceof PlanResult.Feasible f) {
        assertThat(PlanChecker.violations(p, f.plan(), true)).isEmpty();
      }
    }
  }
}
