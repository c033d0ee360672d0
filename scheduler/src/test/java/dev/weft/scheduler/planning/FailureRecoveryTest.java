package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopClock;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import dev.weft.scheduler.agents.Leases;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import tools.jackson.databind.JsonNode;

/** The loop repairs placement: lost agents, drains, capacity running out, dropped streams, replicas that will not start. */
@LoopIntegrationTest
class FailureRecoveryTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    LoopClock clock;

    @Autowired
    ApplicationContext context;

    ManagedChannel channel;
    HttpApi api;
    List<LoopAgent> agents = new ArrayList<>();
    String app;

    @BeforeEach
    void connect() {
        channel = LoopSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
        Leases.sweep(context); // no other test's expired agent is counted here
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (app != null) {
            LoopSupport.undeploy(api, app, "v1");
        }
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    private JsonNode deployOn(List<LoopAgent> fleet) {
        agents.addAll(fleet);
        app = LoopSupport.shop(api, "v1");
        assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(201);
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
        return LoopSupport.plan(api, app, "v1");
    }

    private List<LoopAgent> hosts(JsonNode plan) {
        Set<String> ids = new HashSet<>();
        LoopSupport.agentsByGroup(plan).values().forEach(ids::addAll);
        return agents.stream().filter(a -> ids.contains(a.id)).toList();
    }

    private static Set<String> assignmentIds(JsonNode plan) {
        Set<String> ids = new HashSet<>();
        plan.get("groups")
                .forEach(g -> g.get("assignments")
                        .forEach(a -> ids.add(a.get("assignmentId").asString())));
        return ids;
    }

    @Test
    void aLostAgentsReplicasArePlacedElsewhereAndPushedWithinASecondOfItsLeaseRunningOut() {
        JsonNode before = deployOn(LoopSupport.fleet(channel, "lost", 6, 3, 4000, 8192));
        LoopAgent victim = hosts(before).getFirst();
        Set<String> lostIds = victim.assignmentIds();
        List<LoopAgent> survivors = agents.stream().filter(a -> a != victim).toList();
        victim.closeStream(); // it crashed: its lease runs out 15 s after it was last heard

        LoopSupport.advance(clock, api, survivors, Duration.ofSeconds(10));
        LoopSupport.advance(clock, api, survivors, Duration.ofMillis(5_001));
        assertThat(Leases.sweep(context)).contains(victim.id);
        JsonNode after = LoopSupport.awaitPlanAfter(
                api, app, "v1", before.get("generation").asLong());
        Map<String, List<String>> placed = LoopSupport.agentsByGroup(after);
        placed.values().forEach(list -> assertThat(list).doesNotContain(victim.id));
        // every new replica is running on its new agent: the push went out and was applied
        Set<String> moved = new HashSet<>(assignmentIds(after));
        moved.removeAll(assignmentIds(before));
        assertThat(moved).hasSameSizeAs(lostIds);
        LoopAgent.await(
                "the re-placed replicas are applied",
                () -> survivors.stream()
                        .flatMap(a -> a.assignmentIds().stream())
                        .toList()
                        .containsAll(moved));
        // how fast this happens is measured by bench/ (re-placement after losing an agent), not asserted here

        assertThat(after.get("decision").asString()).isEqualTo("APPLIED_INVALID");
        assertThat(after.get("decisionReason").asString()).contains(victim.id);
        // the sweep's AGENT_LOST trigger, or the periodic validity check if it notices the lost agent first
        assertThat(after.get("triggers").toString()).containsAnyOf("AGENT_LOST", "PLAN_INVALID");
        // replicas on agents that stayed did not move or restart
        Set<String> kept = new HashSet<>(assignmentIds(before));
        kept.removeAll(lostIds);
        assertThat(assignmentIds(after)).containsAll(kept);
        assertThat(after.get("diff").get("unchanged").asInt()).isEqualTo(kept.size());
        assertThat(LoopSupport.deployment(api, app, "v1")
                        .get("weightBasisPoints")
                        .asInt())
                .isEqualTo(10_000);
    }

    @Test
    void aDrainedAgentEndsWithNoReplicasAndIsReleased() {
        JsonNode before = deployOn(LoopSupport.fleet(channel, "drain", 5, 3, 4000, 8192));
        LoopAgent drained = hosts(before).getFirst();
        assertThat(api.post("/api/v1/agents/" + drained.id + "/drain", "").status())
                .isEqualTo(200);
        drained.awaitAssignments("told to run nothing", set -> set.getAssignmentsCount() == 0);
        assertThat(drained.closedWith().getCode()).isEqualTo(Status.Code.OK);
        assertThat(drained.received().stream()
                        .filter(ControlMessage::hasDrain)
                        .map(m -> m.getDrain().getReleased()))
                .containsExactly(false, true);
        assertThat(api.get("/api/v1/agents/" + drained.id).json().get("state").asString())
                .isEqualTo("RELEASED");
        JsonNode after = LoopSupport.plan(api, app, "v1");
        LoopSupport.agentsByGroup(after)
                .values()
                .forEach(list -> assertThat(list).doesNotContain(drained.id));
        assertThat(after.get("triggers").toString()).contains("AGENT_DRAINING");
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
    }

    @Test
    void whenCapacityRunsOutWhatFitsKeepsRunningTheRestIsRecordedAndANewAgentMakesItWhole() {
        List<LoopAgent> fleet = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            fleet.add(new LoopAgent(
                            channel, LoopSupport.unique("pci" + i), "zone-" + i, Map.of("pci", "true"), 1000, 1024)
                    .register());
        }
        for (int i = 0; i < 2; i++) {
            fleet.add(new LoopAgent(channel, LoopSupport.unique("big" + i), "zone-" + i, Map.of(), 2500, 3072)
                    .register());
        }
        JsonNode before = deployOn(fleet);
        LoopAgent victim = fleet.get(2);
        assertThat(hosts(before)).contains(victim);
        Set<String> survivorIds = new HashSet<>(assignmentIds(before));
        survivorIds.removeAll(victim.assignmentIds());
        List<LoopAgent> survivors = agents.stream().filter(a -> a != victim).toList();
        victim.closeStream();
        LoopSupport.advance(clock, api, survivors, Duration.ofSeconds(10));
        LoopSupport.advance(clock, api, survivors, Duration.ofSeconds(6));
        assertThat(Leases.sweep(context)).contains(victim.id);

        JsonNode partial = LoopSupport.awaitPlanAfter(
                api, app, "v1", before.get("generation").asLong());
        assertThat(partial.get("status").asString()).isEqualTo("PARTIAL");
        assertThat(partial.get("unplaced").get(0).get("message").asString()).contains("could not be placed");
        assertThat(assignmentIds(partial)).containsExactlyInAnyOrderElementsOf(survivorIds);
        JsonNode short_ = LoopSupport.awaitDeployment(api, app, "v1", "SHORT_OF_CAPACITY");
        assertThat(short_.get("reason").asString()).contains("could not be placed");
        assertThat(short_.get("weightBasisPoints").asInt())
                .as("what runs keeps serving")
                .isEqualTo(10_000);
        List<String> kinds = new ArrayList<>();
        api.get("/api/v1/events?application=" + app)
                .json()
                .get("items")
                .forEach(e -> kinds.add(e.get("kind").asString()));
        assertThat(kinds).contains("CAPACITY_SHORTFALL");

        LoopAgent joined =
                new LoopAgent(channel, LoopSupport.unique("big-new"), "zone-1", Map.of(), 2500, 3072).register();
        agents.add(joined);
        JsonNode whole = LoopSupport.awaitPlanAfter(
                api, app, "v1", partial.get("generation").asLong());
        assertThat(whole.get("status").asString()).isEqualTo("FEASIBLE");
        // the join, or the validity check that races it (the lost agent's plan is invalid too), triggers the plan
        assertThat(whole.get("triggers").toString()).containsAnyOf("AGENT_JOINED", "PLAN_INVALID");
        assertThat(hosts(whole)).as("the new agent makes it whole").contains(joined);
        assertThat(assignmentIds(whole)).containsAll(survivorIds);
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
    }

    @Test
    void anAgentWhoseStreamDropsAndComesBackWithinItsLeaseKeepsItsReplicas() {
        JsonNode before = deployOn(LoopSupport.fleet(channel, "drop", 4, 2, 4000, 8192));
        LoopAgent host = hosts(before).getFirst();
        Set<String> ids = host.assignmentIds();
        host.closeStream();
        LoopAgent.await(
                host.id + " is disconnected",
                () -> "DISCONNECTED"
                        .equals(api.get("/api/v1/agents/" + host.id)
                                .json()
                                .get("state")
                                .asString()));
        // a re-plan while it is away keeps its replicas where they are
        JsonNode replanned = api.post("/api/v1/applications/" + app + "/versions/v1/plan/replan", "")
                .json();
        assertThat(replanned.get("decision").asString()).isIn("KEPT_IDENTICAL", "KEPT_NOT_BETTER");
        int received = host.received().size();

        host.reconnect();
        // it is told its state at once: the same replicas, nothing to restart
        LoopAgent.await(
                "the state is re-sent",
                () -> host.received().subList(received, host.received().size()).stream()
                        .anyMatch(ControlMessage::hasAssignments));
        assertThat(host.assignmentIds()).isEqualTo(ids);
        assertThat(LoopSupport.plan(api, app, "v1").get("generation").asLong())
                .isEqualTo(before.get("generation").asLong());
        assertThat(LoopSupport.deployment(api, app, "v1").get("state").asString())
                .isEqualTo("PLACED");
    }

    @Test
    void replicasThatFailToStartAreRetriedThenPlacedOnAnotherAgentAndAnEventSaysSo() {
        JsonNode before = deployOn(LoopSupport.fleet(channel, "fail", 5, 3, 4000, 8192));
        String group = before.get("groups").get(0).get("name").asString();
        String first = before.get("groups").get(0).get("components").get(0).asString();
        LoopAgent host = agents.stream()
                .filter(a -> LoopSupport.agentsByGroup(before).get(group).contains(a.id))
                .findFirst()
                .orElseThrow();
        host.failToStart(first);
        host.reconnect(); // it is sent its set again, and now fails to start that replica: twice, then it moves

        JsonNode after = LoopSupport.awaitPlanAfter(
                api, app, "v1", before.get("generation").asLong());
        assertThat(LoopSupport.agentsByGroup(after).get(group)).doesNotContain(host.id);
        // the start failures trigger the re-plan, unless the fleet's debounced join re-plan (requested 1 s after the
        // five agents registered) ran first, after the host was excluded: then it moved the group and the failures'
        // own request found nothing left to change (seen once on a loaded machine)
        assertThat(after.get("triggers").toString()).containsAnyOf("START_FAILURES", "AGENT_JOINED");
        List<String> kinds = new ArrayList<>();
        api.get("/api/v1/events?application=" + app)
                .json()
                .get("items")
                .forEach(e -> kinds.add(e.get("kind").asString()));
        assertThat(kinds).contains("REPLICAS_MOVED_AFTER_START_FAILURES");
        assertThat(kinds.stream().filter("REPLICA_START_FAILED"::equals).count())
                .isEqualTo(2);
        JsonNode view = api.get("/api/v1/agents/" + host.id).json().get("assignments");
        assertThat(view).isNotNull();
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
    }

    @Test
    void manyAgentsJoiningWithinTheDebounceGiveOnePlan() {
        deployOn(LoopSupport.fleet(channel, "join", 3, 2, 4000, 8192));
        JsonNode earlier =
                api.get("/api/v1/applications/" + app + "/versions/v1/plans").json();
        long before = earlier.get("total").asLong();
        long lastGeneration = 0;
        for (JsonNode item : earlier.get("items")) {
            lastGeneration = Math.max(lastGeneration, item.get("generation").asLong());
        }
        agents.addAll(LoopSupport.fleet(channel, "joiner", 6, 0, 4000, 8192));
        // an operator's re-plan queues behind whatever the joins caused
        JsonNode last = api.post("/api/v1/applications/" + app + "/versions/v1/plan/replan", "")
                .json();
        JsonNode history =
                api.get("/api/v1/applications/" + app + "/versions/v1/plans").json();
        assertThat(history.get("total").asLong()).isBetween(before + 1, before + 2);
        long joinPlans = 0;
        for (JsonNode item : history.get("items")) {
            // only the plans made after the six joined (the first fleet's own joins may have made one)
            if (item.get("generation").asLong() > lastGeneration
                    && item.get("triggers").toString().contains("AGENT_JOINED")) {
                joinPlans++;
            }
        }
        assertThat(joinPlans).as("six joins, one plan").isLessThanOrEqualTo(1);
        assertThat(last.get("triggers").toString()).contains("OPERATOR");
    }
}
