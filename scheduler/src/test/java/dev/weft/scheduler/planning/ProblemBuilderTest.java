package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.scheduler.agents.AgentSnapshot;
import dev.weft.scheduler.agents.AgentState;
import dev.weft.scheduler.load.LoadQueries.ComponentLoad;
import dev.weft.scheduler.load.LoadQueries.EdgeLoad;
import dev.weft.scheduler.load.LoadQueries.WindowLoad;
import dev.weft.scheduler.planning.PlanRecord.Assignment;
import dev.weft.scheduler.planning.PlanRecord.Group;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import dev.weft.scheduler.registry.Registry.RegisteredEdge;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import dev.weft.scheduler.registry.VersionSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the registry's units, the agents and the load become the planner's problem. */
class ProblemBuilderTest {

    static final Instant NOW = Instant.parse("2032-01-01T12:00:00Z");

    static RegisteredVersion version() {
        return new RegisteredVersion(
                7,
                "shop",
                "v1",
                "oci://shop:1",
                List.of(
                        new RegisteredComponent(1, "frontend", 500, 256, 2, 20, true),
                        new RegisteredComponent(2, "cart", 200, 512, 0, 10, false),
                        new RegisteredComponent(3, "payment", 100, 64, 1, 4, false)),
                List.of(
                        new RegisteredEdge(1, "frontend", 2, "cart", 720.0, 600.0),
                        new RegisteredEdge(1, "frontend", 3, "payment", null, 300.0)),
                new VersionSpec.ConstraintsSpec(
                        List.of(),
                        List.of(List.of("frontend", "payment")),
                        List.of(
                                new VersionSpec.PinSpec("payment", "pci=true"),
                                new VersionSpec.PinSpec("payment", "zone"))));
    }

    static AgentSnapshot agent(
            String id, AgentState state, boolean cordoned, boolean draining, Map<String, String> labels) {
        return new AgentSnapshot(
                id, state, cordoned, draining, id + ":7000", "z", labels, 4000, 8192, List.of(), 0, true);
    }

    static World world(
            List<AgentSnapshot> agents, Map<String, World.Usage> others, PlanRecord current, MeasuredLoad load) {
        return new World(version(), agents, others, current, Set.of(), load, NOW);
    }

    @Test
    void beforeAnyLoadTheSpecsHintsAreTheInputInCoresAndGiB() {
        BuiltProblem built = ProblemBuilder.build(
                world(
                        List.of(agent("a", AgentState.CONNECTED, false, false, Map.of())),
                        Map.of(),
                        null,
                        MeasuredLoad.none(NOW.minusSeconds(300), NOW)),
                CostModel.DEFAULTS);
        Map<String, Component> c = new java.util.HashMap<>();
        built.problem().components().forEach(x -> c.put(x.name(), x));
        // per-replica millicores times the replicas the spec asks for at least
        assertThat(c.get("frontend").cpu()).isEqualTo(1.0);
        assertThat(c.get("frontend").mem()).isEqualTo(0.25);
        // minReplicas 0 runs one replica
        assertThat(c.get("cart").cpu()).isEqualTo(0.2);
        assertThat(c.get("cart").minReplicas()).isEqualTo(1);
        assertThat(c.get("cart").mem()).isEqualTo(0.5);
        Edge cart = built.problem().edges().stream()
                .filter(e -> e.callee().equals("cart"))
                .findFirst()
                .orElseThrow();
        assertThat(cart.callsPerSecond()).isEqualTo(720);
        assertThat(cart.bytesPerSecond()).isEqualTo(720 * 600);
        Edge payment = built.problem().edges().stream()
                .filter(e -> e.callee().equals("payment"))
                .findFirst()
                .orElseThrow();
        assertThat(payment.callsPerSecond()).isZero();
        assertThat(payment.bytesPerSecond()).isZero();
        assertThat(built.inputs().load()).isEqualTo("DECLARED");
        assertThat(built.problem().previous()).isNull();
    }

    @Test
    void measuredLoadReplacesTheHintsAveragedFromTheFirstSliceTheVersionReportedIn() {
        Instant t = NOW.minusSeconds(300);
        WindowLoad empty = new WindowLoad(7, t, t.plusSeconds(100), List.of(), List.of());
        WindowLoad second = new WindowLoad(
                7,
                t.plusSeconds(100),
                t.plusSeconds(200),
                List.of(new ComponentLoad(1, 2.0, 300, 50, 0, 1, 3)),
                List.of(new EdgeLoad(1, 2, 1000, 5000, 0, 1, 2, 3)));
        WindowLoad third = new WindowLoad(
                7,
                t.plusSeconds(200),
                NOW,
                List.of(new ComponentLoad(1, 1.0, 400, 30, 0, 1, 3)),
                List.of(new EdgeLoad(1, 2, 3000, 15000, 0, 1, 2, 3)));
        MeasuredLoad load = new MeasuredLoad(t, NOW, List.of(empty, second, third));
        BuiltProblem built = ProblemBuilder.build(
                world(List.of(agent("a", AgentState.CONNECTED, false, false, Map.of())), Map.of(), null, load),
                CostModel.DEFAULTS);
        Map<String, Component> c = new java.util.HashMap<>();
        built.problem().components().forEach(x -> c.put(x.name(), x));
        assertThat(c.get("frontend").cpu()).isEqualTo(1.5); // not diluted by the slice before it reported
        assertThat(c.get("frontend").mem()).isCloseTo(400 / 1024.0, within(1e-12)); // the most any agent reported
        assertThat(c.get("cart").cpu()).isZero(); // reported nothing while others did
        assertThat(c.get("cart").mem()).isEqualTo(0.5); // no memory reported: the hint
        assertThat(built.problem().edges()).singleElement().satisfies(e -> {
            assertThat(e.callsPerSecond()).isEqualTo(2000);
            assertThat(e.bytesPerSecond()).isEqualTo(10000);
        });
        assertThat(built.inputs().load()).isEqualTo("MEASURED");
        assertThat(built.inputs().loadFrom()).isEqualTo(t.plusSeconds(100));
    }

    @Test
    void agentsOfferTheirCapacityLessOtherVersionsAndOnlyHealthyOnesTakeNewReplicas() {
        PlanRecord current = PlanRecordFixtures.plan(
                7,
                1,
                List.of(new Group(
                        0,
                        "cart",
                        List.of("cart"),
                        1,
                        0.2,
                        0.4,
                        0.75,
                        List.of(),
                        List.of(new Assignment("a7-1-0-0", "cordoned", 0, 400, 768)))));
        BuiltProblem built = ProblemBuilder.build(
                world(
                        List.of(
                                agent("ok", AgentState.CONNECTED, false, false, Map.of("pci", "true", "zone", "eu")),
                                agent("cordoned", AgentState.CONNECTED, true, false, Map.of()),
                                agent("cordoned-empty", AgentState.CONNECTED, true, false, Map.of()),
                                agent("away", AgentState.DISCONNECTED, false, false, Map.of()),
                                agent("draining", AgentState.CONNECTED, true, true, Map.of())),
                        Map.of("ok", new World.Usage(1000, 2048)),
                        current,
                        MeasuredLoad.none(NOW, NOW)),
                CostModel.DEFAULTS);
        Map<String, Agent> a = new java.util.HashMap<>();
        built.problem().agents().forEach(x -> a.put(x.id(), x));
        assertThat(a).containsOnlyKeys("ok", "cordoned");
        assertThat(a.get("ok").cpuCapacity()).isEqualTo(4.0);
        assertThat(a.get("ok").cpuUsed()).isEqualTo(1.0);
        assertThat(a.get("ok").memUsed()).isEqualTo(2.0);
        // a cordoned agent keeps exactly the room its replicas of this version take
        assertThat(a.get("cordoned").cpuCapacity()).isEqualTo(0.4);
        assertThat(a.get("cordoned").memCapacity()).isEqualTo(0.75);
        assertThat(built.eligible()).containsExactly("ok");
        assertThat(built.unusable()).containsOnlyKeys("cordoned-empty", "away", "draining");
        assertThat(built.unusable().get("draining")).contains("draining");
        assertThat(built.unusable().get("away")).contains("disconnected");
        // labels match k and k=v; two pins of one component need an agent with both
        assertThat(a.get("ok").labels()).contains("pci", "pci=true", "zone", "zone=eu", "pci=true&zone");
        assertThat(built.problem().constraints().pins()).containsEntry("payment", "pci=true&zone");
        assertThat(built.problem().previous()).isNotNull();
        assertThat(built.problem().previous().groups().getFirst().agents()).containsExactly("cordoned");
    }
}
