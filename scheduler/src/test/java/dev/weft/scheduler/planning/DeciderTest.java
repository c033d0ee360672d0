package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.PlanResult;
import dev.weft.placement.Planner;
import dev.weft.placement.model.CostModel;
import dev.weft.scheduler.agents.AgentSnapshot;
import dev.weft.scheduler.agents.AgentState;
import dev.weft.scheduler.planning.PlanRecord.Assignment;
import dev.weft.scheduler.planning.PlanRecord.Decision;
import dev.weft.scheduler.planning.PlanRecord.Group;
import dev.weft.scheduler.planning.PlanRecord.Status;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import dev.weft.scheduler.registry.VersionSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whether a computed plan is applied, and what it keeps of the running one. */
class DeciderTest {

    static final Instant NOW = Instant.parse("2032-01-01T12:00:00Z");
    static final RegisteredVersion VERSION = new RegisteredVersion(
            9,
            "app",
            "v1",
            "file:///app.jar",
            List.of(
                    new RegisteredComponent(1, "api", 1000, 512, 2, 4, true),
                    new RegisteredComponent(2, "db", 200, 256, 1, 1, false)),
            List.of(),
            new VersionSpec.ConstraintsSpec(List.of(), List.of(), List.of()));

    static AgentSnapshot agent(String id) {
        return new AgentSnapshot(
                id, AgentState.CONNECTED, false, false, id + ":1", "z", Map.of(), 4000, 8192, List.of(), 0, true);
    }

    static BuiltProblem built(List<AgentSnapshot> agents, PlanRecord current) {
        return ProblemBuilder.build(
                new World(VERSION, agents, Map.of(), current, Set.of(), MeasuredLoad.none(NOW, NOW), NOW),
                CostModel.DEFAULTS);
    }

    static Decider.Outcome decide(BuiltProblem built, PlanRecord current, long generation, double margin) {
        PlanResult result = new Planner().plan(built.problem());
        return Decider.decide(built, result, current, 9, generation, margin);
    }

    static PlanRecord applied(Decider.Outcome o, long generation) {
        return PlanRecordFixtures.plan(9, generation, o.groups());
    }

    @Test
    void theFirstPlanIsAppliedAndTheSameOneAgainIsNot() {
        List<AgentSnapshot> agents = List.of(agent("x"), agent("y"), agent("z"));
        Decider.Outcome first = decide(built(agents, null), null, 1, 0.05);
        assertThat(first.decision()).isEqualTo(Decision.APPLIED_FIRST);
        assertThat(first.status()).isEqualTo(Status.FEASIBLE);
        PlanRecord running = applied(first, 1);
        Decider.Outcome again = decide(built(agents, running), running, 2, 0.05);
        assertThat(again.decision()).isEqualTo(Decision.KEPT_IDENTICAL);
        // assignment ids of replicas that stay are kept
        assertThat(ids(again.groups())).isEqualTo(ids(first.groups()));
    }

    @Test
    void aPlanOnALostAgentIsReplacedKeepingEveryReplicaThatStays() {
        List<AgentSnapshot> agents = new ArrayList<>(List.of(agent("x"), agent("y"), agent("z")));
        PlanRecord running = applied(decide(built(agents, null), null, 1, 0.05), 1);
        String lost = running.groups().getFirst().assignments().getFirst().agentId();
        agents.removeIf(a -> a.id().equals(lost));
        Decider.Outcome next = decide(built(agents, running), running, 2, 0.99);
        assertThat(next.decision()).isEqualTo(Decision.APPLIED_INVALID); // even a 99 % margin cannot keep it
        assertThat(next.reason()).contains(lost);
        List<String> kept = new ArrayList<>(ids(running.groups()));
        running.groups()
                .forEach(g -> g.assignments().stream()
                        .filter(a -> a.agentId().equals(lost))
                        .forEach(a -> kept.remove(a.assignmentId())));
        assertThat(ids(next.groups())).containsAll(kept);
        next.groups()
                .forEach(g ->
                        assertThat(g.assignments()).noneMatch(a -> a.agentId().equals(lost)));
    }

    @Test
    void aValidPlanIsReplacedOnlyByOneCheaperByTheMargin() {
        List<AgentSnapshot> agents = List.of(agent("x"), agent("y"), agent("z"), agent("w"));
        // running: api and db apart, api on four agents although two replicas do
        PlanRecord wasteful = PlanRecordFixtures.plan(
                9,
                1,
                List.of(
                        new Group(
                                0,
                                "api",
                                List.of("api"),
                                4,
                                2,
                                3,
                                3,
                                List.of(),
                                List.of(
                                        new Assignment("a1", "x", 0, 750, 768), new Assignment("a2", "y", 1, 750, 768),
                                        new Assignment("a3", "z", 2, 750, 768),
                                                new Assignment("a4", "w", 3, 750, 768))),
                        new Group(
                                1,
                                "db",
                                List.of("db"),
                                1,
                                0.2,
                                0.4,
                                0.5,
                                List.of(),
                                List.of(new Assignment("a5", "x", 0, 400, 512)))));
        Decider.Outcome better = decide(built(agents, wasteful), wasteful, 2, 0.05);
        assertThat(better.decision()).isEqualTo(Decision.APPLIED_BETTER);
        assertThat(better.reason()).contains("cheaper");
        Decider.Outcome notEnough = decide(built(agents, wasteful), wasteful, 2, 0.9);
        assertThat(notEnough.decision()).isEqualTo(Decision.KEPT_NOT_BETTER);
        assertThat(notEnough.reason()).contains("margin");
    }

    @Test
    void whenNothingFitsAfterALossWhatStillRunsIsKeptAndTheRestListed() {
        List<AgentSnapshot> agents = new ArrayList<>(List.of(agent("x"), agent("y")));
        PlanRecord running = applied(decide(built(agents, null), null, 1, 0.05), 1);
        // api needs two replicas on distinct agents; with one agent left no plan fits
        agents.removeIf(a -> a.id().equals("y"));
        Decider.Outcome next = decide(built(agents, running), running, 2, 0.05);
        assertThat(next.decision()).isEqualTo(Decision.APPLIED_INVALID);
        assertThat(next.status()).isEqualTo(Status.PARTIAL);
        assertThat(next.unplaced()).isNotEmpty();
        List<String> onX = new ArrayList<>();
        running.groups()
                .forEach(g -> g.assignments().stream()
                        .filter(a -> a.agentId().equals("x"))
                        .forEach(a -> onX.add(a.assignmentId())));
        assertThat(ids(next.groups())).containsAll(onX);
        next.groups()
                .forEach(g ->
                        assertThat(g.assignments()).allMatch(a -> a.agentId().equals("x")));
        // and the same world again changes nothing: it is not applied a second time
        PlanRecord partial = new PlanRecord(
                9,
                2,
                Status.PARTIAL,
                true,
                true,
                Decision.APPLIED_INVALID,
                "",
                List.of(),
                null,
                next.groups(),
                null,
                null,
                List.of(),
                null,
                false,
                next.unplaced(),
                1L,
                PlanDiffView.NONE,
                NOW,
                NOW);
        assertThat(decide(built(agents, partial), partial, 3, 0.05).decision()).isEqualTo(Decision.KEPT_INFEASIBLE);
    }

    static List<String> ids(List<Group> groups) {
        List<String> out = new ArrayList<>();
        groups.forEach(g -> g.assignments().forEach(a -> out.add(a.assignmentId())));
        out.sort(null);
        return out;
    }
}
