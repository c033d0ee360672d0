package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.Welcome;
import dev.weft.scheduler.HttpApi;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Operators list agents and cordon, drain and revoke them over REST; connected agents hear about it on their stream. */
@AgentIntegrationTest
class AgentOperatorTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LeaseSweeper sweeper;

    ManagedChannel channel;
    HttpApi api;

    @BeforeEach
    void connect() {
        channel = AgentTestSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
        // the replicas these agents report run the online shop, which must be registered
        AgentTestSupport.registerShop(api, "shop");
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        AgentTestSupport.shutdown(channel);
    }

    @Test
    void agentsAreListedPageByPageWithStateZoneLabelsCapacityUsageAndLastHeartbeat() {
        String a = AgentTestSupport.agentId("list-a");
        String b = AgentTestSupport.agentId("list-b");
        try (TestAgent first = new TestAgent(channel, a);
                TestAgent second = new TestAgent(channel, b)) {
            first.register();
            second.register();

            HttpApi.Response all = api.get("/api/v1/agents?state=connected&size=500");
            assertThat(all.status()).as(all.body()).isEqualTo(200);
            assertThat(all.json().get("total").asLong()).isGreaterThanOrEqualTo(2);
            JsonNode listed = null;
            for (JsonNode item : all.json().get("items")) {
                if (item.get("id").asString().equals(a)) {
                    listed = item;
                }
            }
            assertThat(listed).as("agent %s in %s", a, all.body()).isNotNull();
            assertThat(listed.get("state").asString()).isEqualTo("CONNECTED");
            assertThat(listed.get("zone").asString()).isEqualTo("zone-a");
            assertThat(listed.get("labels").get("pci").asString()).isEqualTo("yes");
            assertThat(listed.get("capacity").get("memoryMiB").asInt()).isEqualTo(8192);
            assertThat(listed.get("usage").get("cpuMillis").asInt()).isZero();
            assertThat(listed.get("lastHeartbeatAt").asString()).isNotBlank();

            HttpApi.Response page = api.get("/api/v1/agents?page=0&size=1");
            assertThat(page.json().get("items").size()).isEqualTo(1);
            assertThat(page.json().get("size").asInt()).isEqualTo(1);

            HttpApi.Response badState = api.get("/api/v1/agents?state=sleeping");
            assertThat(badState.status()).isEqualTo(400);
            assertThat(badState.json().get("detail").asString()).contains("state", "sleeping");
        }
    }

    @Test
    void unknownAgentIsANamedProblem() {
        HttpApi.Response response = api.post("/api/v1/agents/nobody-here/cordon", "");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("https://weft.dev/problems/agent-not-found");
        assertThat(response.json().get("detail").asString()).contains("nobody-here");
    }

    @Test
    void cordonedAgentKeepsItsStreamAndUncordonReturnsItToService() {
        String id = AgentTestSupport.agentId("cordon");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();

            JsonNode cordoned = api.post("/api/v1/agents/" + id + "/cordon", "").json();
            assertThat(cordoned.get("cordoned").asBoolean()).isTrue();
            assertThat(cordoned.get("draining").asBoolean()).isFalse();
            assertThat(AgentTestSupport.events(jdbc, "AGENT_CORDONED", id)).isEqualTo(1);
            assertThat(agent.isOpen()).isTrue();

            JsonNode uncordoned =
                    api.post("/api/v1/agents/" + id + "/uncordon", "").json();
            assertThat(uncordoned.get("cordoned").asBoolean()).isFalse();
            assertThat(AgentTestSupport.events(jdbc, "AGENT_UNCORDONED", id)).isEqualTo(1);
        }
    }

    @Test
    void drainedAgentIsToldToDrainAndReleasedOnceItRunsNothing() {
        String id = AgentTestSupport.agentId("drain");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.hello(TestAgent.hello(id)
                    .addRunningReplicas(TestAgent.replica("shop", "v1", "cart", "cart-store"))
                    .addRunningReplicas(TestAgent.replica("shop", "v1", "frontend")));
            assertThat(agent.next().getWelcome().getDraining()).isFalse();

            JsonNode draining = api.post("/api/v1/agents/" + id + "/drain", "").json();
            assertThat(draining.get("draining").asBoolean()).isTrue();
            assertThat(draining.get("cordoned").asBoolean()).isTrue();
            assertThat(draining.get("state").asString()).isEqualTo("CONNECTED");
            ControlMessage drain = agent.next();
            assertThat(drain.hasDrain()).isTrue();
            assertThat(drain.getDrain().getReleased()).isFalse();

            // one replica moved away: still draining
            agent.heartbeat(Heartbeat.newBuilder().addRunningReplicas(TestAgent.replica("shop", "v1", "frontend")));
            AgentTestSupport.await(
                    "the heartbeat is taken",
                    () -> api.get("/api/v1/agents/" + id).json().get("replicas").size() == 1);
            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("CONNECTED");

            // nothing left: released, told so, and the stream ends cleanly
            agent.heartbeat(Heartbeat.newBuilder());
            ControlMessage released = agent.next();
            assertThat(released.getDrain().getReleased()).isTrue();
            assertThat(agent.closedWith().getCode()).isEqualTo(Status.Code.OK);
            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("RELEASED");
            assertThat(AgentTestSupport.events(jdbc, "AGENT_DRAINING", id)).isEqualTo(1);
            assertThat(AgentTestSupport.events(jdbc, "AGENT_RELEASED", id)).isEqualTo(1);
        }
    }

    @Test
    void drainingAgentWithReplicasAssignedByAnActivePlanIsReleasedOnlyOnceThePlanMovesThem() {
        String id = AgentTestSupport.agentId("assigned");
        AgentTestSupport.registerShop(api, "drain-shop");
        long versionId = jdbc.sql("select v.id from versions v join applications a on a.id = v.application_id "
                        + "where a.name = 'drain-shop' and v.name = 'v1'")
                .query(Long.class)
                .single();
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            // what the planner writes: an active plan with one replica of one group on this agent
            long planId = jdbc.sql(
                            "insert into plans (id, version_id, generation, active, cost_per_hour, remote_call_cpu, created_at) "
                                    + "values (nextval('weft_id_seq'), ?, 1, true, 0.1, 0, now()) returning id")
                    .param(versionId)
                    .query(Long.class)
                    .single();
            long groupId = jdbc.sql(
                            "insert into plan_groups (id, plan_id, group_index, replicas) values (nextval('weft_id_seq'), ?, 0, 1) "
                                    + "returning id")
                    .param(planId)
                    .query(Long.class)
                    .single();
            jdbc.sql(
                            "insert into assignments (id, plan_id, group_id, replica_index, agent_id) values (nextval('weft_id_seq'), ?, ?, 0, ?)")
                    .params(planId, groupId, id)
                    .update();

            api.post("/api/v1/agents/" + id + "/drain", "");
            assertThat(agent.next().getDrain().getReleased()).isFalse();
            sweeper.sweep();
            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("CONNECTED");
            assertThat(agent.isOpen()).isTrue();

            // the planner moves the replica elsewhere
            jdbc.sql("delete from assignments where agent_id = ?").param(id).update();
            sweeper.sweep();

            assertThat(agent.next().getDrain().getReleased()).isTrue();
            assertThat(agent.closedWith().getCode()).isEqualTo(Status.Code.OK);
            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("RELEASED");
            jdbc.sql("delete from plans where id = ?").param(planId).update();
        }
    }

    @Test
    void revokedAgentIsCutOffAndMayNeverConnectAgain() {
        String id = AgentTestSupport.agentId("revoke");
        Welcome welcome;
        try (TestAgent agent = new TestAgent(channel, id)) {
            welcome = agent.register();

            JsonNode revoked = api.post("/api/v1/agents/" + id + "/revoke", "").json();
            assertThat(revoked.get("state").asString()).isEqualTo("REVOKED");
            Status status = agent.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("revoked", id);
            assertThat(AgentTestSupport.events(jdbc, "AGENT_REVOKED", id)).isEqualTo(1);
        }
        try (TestAgent withCredential = new TestAgent(channel, id)) {
            withCredential.hello(TestAgent.hello(id).setSessionCredential(welcome.getSessionCredential()));
            assertThat(withCredential.closedWith().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
        try (TestAgent withToken = new TestAgent(channel, id)) {
            withToken.hello(TestAgent.hello(id));
            Status status = withToken.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("revoked");
        }
        assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("REVOKED");

        HttpApi.Response cordon = api.post("/api/v1/agents/" + id + "/cordon", "");
        assertThat(cordon.status()).isEqualTo(409);
        assertThat(cordon.json().get("code").asString()).isEqualTo("AGENT_REVOKED");
    }
}
