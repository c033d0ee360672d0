package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.Welcome;
import dev.weft.scheduler.HttpApi;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Agents register over a real gRPC stream, authenticate, and keep their identity when they reconnect. */
@AgentIntegrationTest
class AgentRegistrationTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    JdbcClient jdbc;

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
    void agentRegistersWithABootstrapTokenAndIsListedWithItsCapacity() {
        String id = AgentTestSupport.agentId("reg");
        try (TestAgent agent = new TestAgent(channel, id)) {
            Welcome welcome = agent.register();

            assertThat(welcome.getAgentId()).isEqualTo(id);
            assertThat(welcome.getSessionCredential()).hasSizeGreaterThanOrEqualTo(40);
            assertThat(welcome.getLease().getSeconds()).isEqualTo(15);
            assertThat(welcome.getHeartbeatInterval().getSeconds()).isEqualTo(5);
            assertThat(welcome.getReportInterval().getSeconds()).isEqualTo(10);
            assertThat(welcome.getMaxMessageBytes()).isEqualTo(1024 * 1024);
            assertThat(welcome.getResumed()).isFalse();

            HttpApi.Response response = api.get("/api/v1/agents/" + id);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode view = response.json();
            assertThat(view.get("state").asString()).isEqualTo("CONNECTED");
            assertThat(view.get("zone").asString()).isEqualTo("zone-a");
            assertThat(view.get("labels").get("pci").asString()).isEqualTo("yes");
            assertThat(view.get("capacity").get("cpuMillis").asInt()).isEqualTo(4000);
            assertThat(view.get("capacity").get("memoryMiB").asInt()).isEqualTo(8192);
            assertThat(view.get("streamOnThisNode").asBoolean()).isTrue();
            JsonNode connected =
                    api.get("/actuator/metrics/weft.agents.connected").json();
            assertThat(connected.get("measurements").get(0).get("value").asDouble())
                    .isGreaterThanOrEqualTo(1);
            assertThat(AgentTestSupport.events(jdbc, "AGENT_REGISTERED", id)).isEqualTo(1);

            // only the hash of the credential is stored
            String stored = jdbc.sql("select session_token_hash from agents where id = ?")
                    .param(id)
                    .query(String.class)
                    .single();
            assertThat(stored)
                    .isEqualTo(Secrets.sha256(welcome.getSessionCredential()))
                    .doesNotContain(welcome.getSessionCredential());
        }
    }

    @Test
    void agentReconnectingWithItsSessionCredentialResumesAndReSyncsItsReplicas() {
        String id = AgentTestSupport.agentId("resume");
        Welcome first;
        String registeredAt;
        try (TestAgent agent = new TestAgent(channel, id)) {
            first = agent.register();
            registeredAt =
                    api.get("/api/v1/agents/" + id).json().get("registeredAt").asString();
            agent.hangUp();
            assertThat(agent.closedWith().getCode()).isEqualTo(Status.Code.OK);
        }
        AgentTestSupport.awaitState(jdbc, id, "DISCONNECTED");

        try (TestAgent again = new TestAgent(channel, id)) {
            again.hello(TestAgent.hello(id)
                    .setSessionCredential(first.getSessionCredential())
                    .addRunningReplicas(TestAgent.replica("shop", "v1", "cart", "cart-store"))
                    .setAppliedGeneration(7));
            Welcome welcome = again.next().getWelcome();

            assertThat(welcome.getResumed()).isTrue();
            assertThat(welcome.getSessionCredential()).isNotEqualTo(first.getSessionCredential());
            JsonNode view = api.get("/api/v1/agents/" + id).json();
            assertThat(view.get("state").asString()).isEqualTo("CONNECTED");
            assertThat(view.get("registeredAt").asString()).isEqualTo(registeredAt);
            assertThat(view.get("appliedGeneration").asLong()).isEqualTo(7);
            assertThat(view.get("replicas").get(0).get("components").toString()).contains("cart", "cart-store");
            assertThat(jdbc.sql("select reported_replicas::text from agents where id = ?")
                            .param(id)
                            .query(String.class)
                            .single())
                    .contains("cart-store");
            assertThat(AgentTestSupport.events(jdbc, "AGENT_RECONNECTED", id)).isEqualTo(1);
        }

        // the first credential was replaced by the second welcome
        try (TestAgent stale = new TestAgent(channel, id)) {
            stale.hello(TestAgent.hello(id).setSessionCredential(first.getSessionCredential()));
            Status status = stale.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).contains("session_credential", id);
        }
    }

    @Test
    void bootstrapTokensAreStoredOnlyAsHashes() {
        List<String> stored = jdbc.sql("select token_hash from agent_bootstrap_tokens order by token_hash")
                .query(String.class)
                .list();
        assertThat(stored)
                .containsExactlyInAnyOrder(
                        Secrets.sha256(AgentIntegrationTest.TOKEN), AgentIntegrationTest.SECOND_TOKEN_SHA256);
        assertThat(String.join(",", stored)).doesNotContain(AgentIntegrationTest.TOKEN);
    }

    @Test
    void aHashedBootstrapTokenFromTheConfigurationIsAccepted() {
        String id = AgentTestSupport.agentId("hashed");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.hello(TestAgent.hello(id).setBootstrapToken("second-token"));
            assertThat(agent.next().hasWelcome()).isTrue();
        }
    }

    @Test
    void wrongOrMissingCredentialsAreUnauthenticatedAndLeaveNoTrace() {
        String id = AgentTestSupport.agentId("intruder");
        try (TestAgent wrong = new TestAgent(channel, id)) {
            wrong.hello(TestAgent.hello(id).setBootstrapToken("guess"));
            Status status = wrong.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).contains("bootstrap_token", id);
        }
        try (TestAgent none = new TestAgent(channel, id)) {
            none.send(AgentMessage.newBuilder()
                    .setHello(TestAgent.hello(id).clearCredential())
                    .build());
            Status status = none.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).contains("neither bootstrap_token nor session_credential");
        }
        assertThat(jdbc.sql("select count(*) from agents where id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(api.get("/api/v1/agents/" + id).status()).isEqualTo(404);
    }

    @Test
    void aSecondStreamOfTheSameAgentReplacesTheFirst() {
        String id = AgentTestSupport.agentId("twice");
        try (TestAgent first = new TestAgent(channel, id);
                TestAgent second = new TestAgent(channel, id)) {
            String credential = first.register().getSessionCredential();
            // the agent itself, reconnecting while its old stream lingers: it holds the session's credential
            second.hello(TestAgent.hello(id).setSessionCredential(credential));
            Welcome welcome = second.next().getWelcome();

            assertThat(welcome.getResumed()).isTrue();
            Status status = first.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.ABORTED);
            assertThat(status.getDescription()).contains("newer stream", id);
            assertThat(second.isOpen()).isTrue();
            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("CONNECTED");
        }
    }
}
