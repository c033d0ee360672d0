package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Reason;
import dev.weft.placement.model.ReasonCode;
import dev.weft.placement.model.Separation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every way a problem can be impossible ends in a reason that names the culprit and the numbers. */
class InfeasibilityTest {
    private static final List<Edge> EDGES = List.of(new Edge("a", "b", 1000, 1e6));

    private static Problem problem(List<Component> comps, Constraints c, List<Agent> agents) {
        return new Problem(comps, EDGES, c, agents, null, CostModel.DEFAULTS);
    }

    private static List<Component> ab() {
        return List.of(Component.of("a", 0.5, 1), Component.of("b", 0.5, 1));
    }

    private static List<Reason> reasons(Problem p) {
        return switch (new Planner().plan(p)) {
            case PlanResult.Feasible f ->
                throw new AssertionError("expected infeasible, got " + f.plan().groups());
            case PlanResult.Infeasible i -> i.reasons();
        };
    }

    @Test
    void aPinToALabelNoAgentHasIsNamed() {
        Problem p =
                problem(ab(), new Constraints(List.of(), List.of(), Map.of("a", "gpu")), Problems.agents(6, 2, 8, 32));
        assertThat(reasons(p)).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.NO_AGENT_WITH_LABEL);
            assertThat(r.subject()).contains("a");
            assertThat(r.message()).contains("gpu");
        });
    }

    @Test
    void aMustShareSetLargerThanTheLargestAgentIsNamed() {
        List<Component> big = List.of(Component.of("a", 0.5, 20), Component.of("b", 0.5, 20));
        Problem p = problem(
                big, new Constraints(List.of(Set.of("a", "b")), List.of(), Map.of()), Problems.agents(6, 2, 8, 32));
        assertThat(reasons(p)).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.EXCEEDS_LARGEST_AGENT);
            assertThat(r.subject()).contains("must-share set").contains("a").contains("b");
            assertThat(r.message()).contains("40.250 GiB").contains("32.000 GiB");
        });
    }

    @Test
    void crossingReplicaBoundsInAMustShareSetAreNamed() {
        List<Component> comps = List.of(new Component("a", 0.5, 1, 3, 5), new Component("b", 0.5, 1, 1, 2));
        Problem p = problem(
                comps, new Constraints(List.of(Set.of("a", "b")), List.of(), Map.of()), Problems.agents(6, 2, 8, 32));
        assertThat(reasons(p)).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.REPLICA_BOUNDS_CROSS);
            assertThat(r.message()).contains("at least 3").contains("at most 2");
        });
    }

    @Test
    void separatingTwoComponentsThatMustShareIsAContradiction() {
        Problem p = problem(
                ab(),
                new Constraints(List.of(Set.of("a", "b")), List.of(new Separation("a", "b")), Map.of()),
                Problems.agents(6, 2, 8, 32));
        assertThat(reasons(p)).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.CONTRADICTORY_CONSTRAINTS);
            assertThat(r.subject()).contains("a/b");
        });
    }

    @Test
    void aZoneWithoutMemoryIsNamedWhenNoAgentCanTakeTheReplica() {
        // Each agent has 3 GiB free; the 2 replicas of a 2.75 GiB group fit once, the third group cannot.
        List<Component> comps = List.of(
                new Component("a", 0.5, 2.5, 2, 2),
                new Component("b", 0.5, 2.5, 2, 2),
                new Component("c", 0.5, 2.5, 2, 2));
        List<Agent> agents = List.of(
                new Agent("x1", "west", Set.of(), 8, 4, 0, 1), new Agent("x2", "east", Set.of(), 8, 4, 0, 1),
                new Agent("x3", "west", Set.of(), 8, 4, 0, 1), new Agent("x4", "east", Set.of(), 8, 4, 0, 1));
        Problem p = new Problem(
                comps,
                List.of(),
                new Constraints(
                        List.of(),
                        List.of(new Separation("a", "b"), new Separation("b", "c"), new Separation("a", "c")),
                        Map.of()),
                agents,
                null,
                CostModel.DEFAULTS);
        assertThat(reasons(p)).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.INSUFFICIENT_CAPACITY);
            assertThat(r.message()).contains("zone east lacks memory").contains("zone west lacks memory");
        });
    }

    @Test
    void moreRequiredReplicasThanAgentsIsNamed() {
        List<Component> comps = List.of(new Component("a", 0.5, 1, 5, 9), Component.of("b", 0.5, 1));
        Problem p = problem(comps, Constraints.NONE, Problems.agents(3, 3, 8, 32));
        assertThat(reasons(p)).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.TOO_FEW_AGENTS);
            assertThat(r.message()).contains("5 replicas").contains("3 agents");
        });
    }

    @Test
    void baselinesComeWithEveryResultAndSayWhyTheyAreRuledOut() {
        Problem p = problem(
                ab(),
                new Constraints(List.of(), List.of(new Separation("a", "b")), Map.of("a", "gpu")),
                Problems.agents(6, 2, 8, 32));
        PlanResult.Infeasible result = (PlanResult.Infeasible) new Planner().plan(p);
        assertThat(result.baselines().singleProcess().feasible()).isFalse();
        assertThat(result.baselines().singleProcess().violations())
                .anySatisfy(v -> assertThat(v).contains("must-separate"));
        assertThat(result.baselines().onePerProcess().costPerHour()).isPositive();
    }
}
