package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every group says why it holds what it holds and why its heaviest remote edges stayed remote. */
class ExplanationTest {
  private static final Edge HEAVY = new Edge("api", "db", 50_000, 5e7);

  private static Plan plan(Problem p) {
    return ((PlanResult.Feasible) new Planner().plan(p)).plan();
  }

  private static GroupExplanation of(Plan plan, String component) {
    String id = plan.groups().stream().filter(g -> g.components().contains(component)).findFirst().orElseThrow().id();
    return plan.explanations().stream().filter(x -> x.group().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void aHeavyEdgeInsideAGroupIsCreditedWithTheCpuItSaves() {
    Problem p = new Problem(List.of(Component.of("api", 1, 1), Component.of("db", 1, 1)), List.of(HEAVY),
        Constraints.NONE, Problems.agents(6, 3, 16, 64), null, CostModel.DEFAULTS);
    GroupExplanation x = of(plan(p), "api");
    // 50k calls/s × 50 µs + 50 MB/s × 2 ns = 2.6 cores of overhead saved.
    assertThat(x.together()).singleElement().satisfies(n -> {
      assertThat(n.cores()).isCloseTo(2.6, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(n.why()).contains("saves 2.6000 cores");
    });
  }

  @Test
  void aCutForcedByMustSeparateSaysSo() {
    Problem p = new Problem(List.of(Component.of("api", 1, 1), Component.of("db", 1, 1)), List.of(HEAVY),
        new Constraints(List.of(), List.of(new Separation("api", "db")), Map.of()), Problems.agents(6, 3, 16, 64),
        null, CostModel.DEFAULTS);
    assertThat(of(plan(p), "api").cut()).singleElement()
        .satisfies(n -> assertThat(n.why()).contains("must-separate api/db"));
  }

  @Test
  void aCutForcedByAgentMemoryNamesTheLimit() {
    // Each needs 10 GiB; agents have 16 GiB free, so one process for both cannot fit anywhere. (A lighter edge
    // than HEAVY keeps each side at one replica, so both still fit on the two agents.)
    List<Agent> agents = List.of(new Agent("x", "z1", Set.of(), 16, 16, 0, 0), new Agent("y", "z2", Set.of(), 16, 16, 0, 0));
    Problem p = new Problem(List.of(Component.of("api", 0.5, 10), Component.of("db", 0.5, 10)),
        List.of(new Edge("api", "db", 5_000, 5e6)),
        Constraints.NONE, agents, null, CostModel.DEFAULTS);
    assertThat(of(plan(p), "db").cut()).singleElement()
        .satisfies(n -> assertThat(n.why()).contains("break a limit").contains("20.250 GiB").contains("16.000 GiB"));
  }
}
