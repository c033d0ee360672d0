package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.PreviousPlan;
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
        String id = plan.groups().stream()
                .filter(g -> g.components().contains(component))
                .findFirst()
                .orElseThrow()
                .id();
        return plan.explanations().stream()
                .filter(x -> x.group().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aHeavyEdgeInsideAGroupIsCreditedWithTheCpuItSaves() {
        Problem p = new Problem(
                List.of(Component.of("api", 1, 1), Component.of("db", 1, 1)),
                List.of(HEAVY),
                Constraints.NONE,
                Problems.agents(6, 3, 16, 64),
                null,
                CostModel.DEFAULTS);
        GroupExplanation x = of(plan(p), "api");
        // 50k calls/s × 50 µs + 50 MB/s × 2 ns = 2.6 cores of overhead saved.
        assertThat(x.together()).singleElement().satisfies(n -> {
            assertThat(n.cores()).isCloseTo(2.6, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(n.why()).contains("saves 2.6000 cores");
        });
    }

    @Test
    void aCutForcedByMustSeparateSaysSo() {
        Problem p = new Problem(
                List.of(Component.of("api", 1, 1), Component.of("db", 1, 1)),
                List.of(HEAVY),
                new Constraints(List.of(), List.of(new Separation("api", "db")), Map.of()),
                Problems.agents(6, 3, 16, 64),
                null,
                CostModel.DEFAULTS);
        assertThat(of(plan(p), "api").cut())
                .singleElement()
                .satisfies(n -> assertThat(n.why()).contains("must-separate api/db"));
    }

    @Test
    void aCutForcedByAgentMemoryNamesTheLimit() {
        // Each needs 10 GiB; agents have 16 GiB free, so one process for both cannot fit anywhere. (A lighter edge
        // than HEAVY keeps each side at one replica, so both still fit on the two agents.)
        List<Agent> agents =
                List.of(new Agent("x", "z1", Set.of(), 16, 16, 0, 0), new Agent("y", "z2", Set.of(), 16, 16, 0, 0));
        Problem p = new Problem(
                List.of(Component.of("api", 0.5, 10), Component.of("db", 0.5, 10)),
                List.of(new Edge("api", "db", 5_000, 5e6)),
                Constraints.NONE,
                agents,
                null,
                CostModel.DEFAULTS);
        assertThat(of(plan(p), "db").cut())
                .singleElement()
                .satisfies(n -> assertThat(n.why())
                        .contains("break a limit")
                        .contains("20.250 GiB")
                        .contains("16.000 GiB"));
    }

    @Test
    void aCutNoLimitForcesNamesWhatOneProcessWouldCostMoreAndWhy() {
        // api needs 3 replicas for its cpu; the cache is light but holds 6 GiB. Together every one of the 3 replicas
        // would carry the 6 GiB: 11.75 GiB more memory ($0.03525/h) against 0.174 cores saved ($0.00383/h).
        Problem p = new Problem(
                List.of(Component.of("api", 3.0, 0.2), Component.of("cache", 0.05, 6)),
                List.of(new Edge("api", "cache", 1000, 1e6)),
                Constraints.NONE,
                Problems.agents(6, 3, 16, 64),
                null,
                CostModel.DEFAULTS);
        assertThat(of(plan(p), "cache").cut())
                .singleElement()
                .satisfies(n -> assertThat(n.why())
                        .isEqualTo(
                                "kept apart: one process would cost $0.03142/h more than the two apart: memory 3 x 6.450 GiB = 19.350 GiB"
                                        + " instead of 3 x 0.450 + 1 x 6.250 = 7.600 GiB (+$0.03525/h), cores 4.657 instead of 4.831"
                                        + " (-$0.00383/h)"));
    }

    @Test
    void aCutKeptByTheRegroupMarginSaysWhatJoiningWouldSave() {
        // Running apart; one process would save a process overhead and a light edge, 0.95 % of the plan: under 1 %.
        List<Agent> agents = List.of(
                new Agent("big0", "z0", Set.of(), 16, 128, 0, 0), new Agent("big1", "z1", Set.of(), 16, 128, 0, 0));
        Problem p = new Problem(
                List.of(Component.of("a", 0.1, 50), Component.of("b", 0.1, 50)),
                List.of(new Edge("a", "b", 10, 0)),
                Constraints.NONE,
                agents,
                new PreviousPlan(List.of(
                        new PreviousPlan.Group(Set.of("a"), List.of("big0")),
                        new PreviousPlan.Group(Set.of("b"), List.of("big1")))),
                CostModel.DEFAULTS);
        Plan plan = plan(p);
        assertThat(plan.solver()).isEqualTo("previous");
        assertThat(of(plan, "a").cut())
                .singleElement()
                .satisfies(n -> assertThat(n.why())
                        .isEqualTo(
                                "kept apart because the running grouping is kept: joining would save $0.00297/h (0.95 % of the plan's"
                                        + " $0.31220/h), and processes are only regrouped for more than the 1 % regroup margin: memory"
                                        + " 1 x 100.250 GiB = 100.250 GiB instead of 1 x 50.250 + 1 x 50.250 = 100.500 GiB (-$0.00075/h),"
                                        + " cores 0.386 instead of 0.486 (-$0.00222/h)"));
    }
}
