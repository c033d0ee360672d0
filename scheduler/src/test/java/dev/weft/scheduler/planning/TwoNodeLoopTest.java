package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.Assignment;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopSupport;
import dev.weft.scheduler.agents.Leases;
import dev.weft.scheduler.cluster.FencedException;
import dev.weft.scheduler.cluster.TwoNodes;
import io.grpc.ManagedChannel;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The loop on two control-plane nodes sharing one PostgreSQL ({@link TwoNodes}): any node takes deploys and operator
 * actions, only the leader plans, what it pushes reaches agents connected to the other node (the fixture sweeps leases
 * hourly, so what they receive came over the bus), a leader paused while the other took over cannot apply a plan,
 * and after a failover the new leader carries on from the stored plans.
 */
class TwoNodeLoopTest {

    private static final String SPEC = """
            {"version": "v1", "artifact": "oci://example/web:1",
             "components": [
               {"name": "web", "cpuMillis": 500, "memoryMiB": 128, "minReplicas": 2, "ingress": true},
               {"name": "store", "cpuMillis": 500, "memoryMiB": 256, "minReplicas": 1}],
             "edges": [{"caller": "web", "callee": "store", "callsPerSecond": 50, "bytesPerCall": 200}],
             "constraints": {"separate": [["web", "store"]]}}""";

    static TwoNodes nodes;

    TwoNodes.Node leader;
    TwoNodes.Node follower;
    final List<ManagedChannel> channels = new ArrayList<>();
    final List<LoopAgent> agents = new ArrayList<>();

    @BeforeAll
    static void twoNodes() {
        nodes = TwoNodes.shared();
    }

    @BeforeEach
    void bothRunning() {
        nodes.ensureRunning();
        leader = nodes.awaitLeader();
        follower = nodes.other(leader);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        agents.forEach(LoopAgent::close);
        for (ManagedChannel channel : channels) {
            LoopSupport.shutdown(channel);
        }
    }

    /** {@code n} agents on {@code node}'s gRPC port, room for a few replicas each. */
    private List<LoopAgent> agentsOn(TwoNodes.Node node, String prefix, int n) {
        ManagedChannel channel = LoopSupport.channel(node.grpcPort());
        channels.add(channel);
        List<LoopAgent> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            made.add(new LoopAgent(
                            channel,
                            TwoNodes.BOOTSTRAP_TOKEN,
                            LoopSupport.unique(prefix + i),
                            "zone-" + (i % 2),
                            Map.of(),
                            4000,
                            8192)
                    .register());
        }
        agents.addAll(made);
        return made;
    }

    /** A new application with {@link #SPEC} as v1, created and deployed through {@code node}'s REST API. */
    private String deployThrough(TwoNodes.Node node) {
        HttpApi api = node.http();
        String app = LoopSupport.unique("web");
        assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", app)))
                        .status())
                .isEqualTo(201);
        LoopSupport.register(api, app, SPEC);
        HttpApi.Response deployed = LoopSupport.deploy(api, app, "v1");
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        return app;
    }

    private long versionId(String app) {
        return nodes.jdbc()
                .sql("select v.id from versions v join applications a on a.id = v.application_id"
                        + " where a.name = ? and v.name = 'v1'")
                .param(app)
                .query(Long.class)
                .single();
    }

    /** Each stored generation of the version: generation, applied, leader epoch. */
    private List<long[]> generations(long versionId) {
        return nodes.jdbc()
                .sql("select generation, case when applied_at is null then 0 else 1 end, leader_epoch from plans"
                        + " where version_id = ? order by generation")
                .param(versionId)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                .list();
    }

    private static Set<String> assignmentIds(JsonNode plan) {
        Set<String> ids = new HashSet<>();
        for (JsonNode group : plan.get("groups")) {
            for (JsonNode replica : group.get("assignments")) {
                ids.add(replica.get("assignmentId").asString());
            }
        }
        return ids;
    }

    private static Set<String> assigned(List<LoopAgent> agents, String app) {
        Set<String> ids = new HashSet<>();
        for (LoopAgent agent : agents) {
            for (Assignment a : agent.assignments().getAssignmentsList()) {
                if (a.getApplication().equals(app)) {
                    ids.add(a.getAssignmentId());
                }
            }
        }
        return ids;
    }

    @Test
    void onlyTheLeaderPlansAndAgentsOnTheFollowerGetWhatItPushes() {
        List<LoopAgent> onFollower = agentsOn(follower, "f", 3);
        String app = deployThrough(follower);
        long epoch = leader.leadership().term().orElseThrow().epoch();

        // the leader learns that replicas run from the agents' rows, which the node holding their streams writes
        // every weft.agents.sweep-interval (1 s by default; the fixture's is an hour, so the test sweeps)
        LoopAgent.await("the deployment is PLACED", () -> {
            Leases.sweep(follower.context());
            return "PLACED"
                    .equals(LoopSupport.deployment(follower.http(), app, "v1")
                            .get("state")
                            .asString());
        });
        JsonNode placed = LoopSupport.deployment(follower.http(), app, "v1");
        assertThat(placed.get("weightBasisPoints").asInt()).isEqualTo(10_000);

        // every plan was computed and stored by the leader, under its epoch
        List<long[]> stored = generations(versionId(app));
        assertThat(stored).isNotEmpty();
        assertThat(stored).allSatisfy(g -> assertThat(g[2]).isEqualTo(epoch));

        // the agents on the follower run exactly the replicas of the stored plan, and the ingress host got the split
        JsonNode plan = LoopSupport.plan(follower.http(), app, "v1");
        assertThat(LoopSupport.plan(leader.http(), app, "v1").get("generation").asLong())
                .isEqualTo(plan.get("generation").asLong());
        assertThat(assigned(onFollower, app)).isEqualTo(assignmentIds(plan));
        LoopAgent.await(
                "an ingress host on the follower has the traffic split",
                () -> onFollower.stream()
                        .anyMatch(a -> a.trafficSplit(app) != null
                                && a.trafficSplit(app).getWeightsCount() == 1
                                && a.trafficSplit(app).getWeights(0).getWeightBp() == 10_000));
        onFollower.stream()
                .filter(a -> !assigned(List.of(a), app).isEmpty())
                .forEach(a -> assertThat(a.hasRoutingTable(app, "v1"))
                        .as(a.id + " hosts v1 and has its routing table")
                        .isTrue());

        // a re-plan asked of the follower is planned by the leader and answered through the bus
        HttpApi.Response replanned =
                follower.http().post("/api/v1/applications/" + app + "/versions/v1/plan/replan", "{}");
        assertThat(replanned.status()).as(replanned.body()).isEqualTo(200);
        assertThat(replanned.json().get("generation").asLong())
                .isGreaterThan(plan.get("generation").asLong());
        assertThat(generations(versionId(app))).allSatisfy(g -> assertThat(g[2]).isEqualTo(epoch));

        LoopSupport.undeploy(follower.http(), app, "v1");
    }

    @Test
    void aLeaderPausedWhileTheOtherNodeTookOverCannotApplyAPlan() throws Exception {
        List<LoopAgent> fleet = agentsOn(leader, "p", 3);
        String app = deployThrough(leader);
        LoopSupport.awaitDeployment(leader.http(), app, "v1", "PLACED");
        long versionId = versionId(app);
        long oldEpoch = leader.leadership().term().orElseThrow().epoch();

        CompletableFuture<Replanner.Run> paused;
        long before;
        try (Connection holder = DriverManager.getConnection(nodes.jdbcUrl(), "postgres", "")) {
            // the leader computes a plan, then stalls before it may store it (here: on the version's row, which the
            // test holds; in life a GC pause or a slow disk) ...
            holder.setAutoCommit(false);
            try (PreparedStatement lock =
                    holder.prepareStatement("select 1 from planned_versions where version_id = ? for update")) {
                lock.setLong(1, versionId);
                lock.executeQuery().close();
            }
            TwoNodes.Node stalled = leader;
            paused = CompletableFuture.supplyAsync(() -> stalled.bean(Replanner.class)
                    .replan(versionId, List.of(new Trigger(Trigger.Kind.OPERATOR, "a plan its leader sat on"))));
            LoopAgent.await(
                    "the leader waits on the version's row",
                    () -> nodes.jdbc()
                                    .sql("select count(*) from pg_locks where not granted")
                                    .query(Long.class)
                                    .single()
                            > 0);

            // ... meanwhile it loses its lock and the other node is elected with a newer epoch
            leader.killLockConnection();
            TwoNodes.await("the other node leads", () -> follower.leadership().isLeader());
            // counted here, not before the pause: until it lost its lock the old leader could store plans of its
            // own (one its agents' joins asked for, say), and may; the fence is about what it stores after
            before = generations(versionId).size();
            holder.rollback();
        }

        // resumed, the deposed leader's transaction is refused at the fence and rolls back
        assertThat(paused)
                .failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .havingRootCause()
                .isInstanceOf(FencedException.class);
        List<long[]> after = generations(versionId);
        assertThat(after.subList((int) before, after.size()))
                .as("generations stored after the pause: only the new leader's")
                .allSatisfy(g -> assertThat(g[2]).isGreaterThan(oldEpoch));

        // the new leader carries on: an agent drained through the old leader's node loses its replicas
        JsonNode plan = LoopSupport.plan(follower.http(), app, "v1");
        String drained = plan.get("groups")
                .get(0)
                .get("assignments")
                .get(0)
                .get("agentId")
                .asString();
        assertThat(leader.http()
                        .post("/api/v1/agents/" + drained + "/drain", "{}")
                        .status())
                .isIn(200, 202);
        LoopAgent drainedAgent =
                fleet.stream().filter(a -> a.id.equals(drained)).findFirst().orElseThrow();
        drainedAgent.awaitAssignments(
                "the drained agent runs nothing of " + app,
                set -> set.getAssignmentsList().stream()
                        .noneMatch(a -> a.getApplication().equals(app)));
        long newEpoch = follower.leadership().term().orElseThrow().epoch();
        JsonNode replaced = LoopSupport.awaitPlanAfter(
                follower.http(), app, "v1", plan.get("generation").asLong());
        assertThat(LoopSupport.agentsByGroup(replaced).values())
                .as("the new plan's agents")
                .allSatisfy(ids -> assertThat(ids).doesNotContain(drained));
        assertThat(generations(versionId).getLast()[2]).isEqualTo(newEpoch);
        LoopAgent.await(
                "the other agents run the new plan",
                () -> assigned(fleet, app).equals(assignmentIds(LoopSupport.plan(follower.http(), app, "v1"))));

        LoopSupport.undeploy(follower.http(), app, "v1");
    }
}
