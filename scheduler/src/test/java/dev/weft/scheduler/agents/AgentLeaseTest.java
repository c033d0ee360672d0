package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.api.agent.v1.AgentServiceGrpc;
import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.LeaveRequest;
import dev.weft.api.agent.v1.LeaveResponse;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.Welcome;
import dev.weft.scheduler.HttpApi;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Leases: kept alive by messages, expired by the clock, and an expired agent may come back. */
@AgentIntegrationTest
class AgentLeaseTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SettableClock clock;

    @Autowired
    LeaseSweeper sweeper;

    @Autowired
    MeterRegistry meters;

    ManagedChannel channel;
    HttpApi api;

    @BeforeEach
    void connect() {
        channel = AgentTestSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
        // the replicas these agents report run the online shop, which must be registered
        AgentTestSupport.registerShop(api, "shop");
        sweeper.sweep(); // leave no other test's expired agent for this test's sweeps to count
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        AgentTestSupport.shutdown(channel);
    }

    @Test
    void heartbeatsKeepTheLeaseAndSilenceForALeaseMarksTheAgentLost() {
        String id = AgentTestSupport.agentId("lease");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();

            clock.advance(Duration.ofSeconds(10));
            agent.heartbeat(Heartbeat.newBuilder()
                    .setUsage(Resources.newBuilder().setCpuMillicores(1500).setMemoryMib(2048)));
            awaitUsage(id, 1500);
            clock.advance(Duration.ofSeconds(10)); // 20 s after hello, 10 s after the heartbeat
            assertThat(sweeper.sweep()).doesNotContain(id);
            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("CONNECTED");
            // the sweep wrote the heartbeat in its batch
            assertThat(jdbc.sql("select used_cpu_millis from agents where id = ?")
                            .param(id)
                            .query(Integer.class)
                            .single())
                    .isEqualTo(1500);

            clock.advance(Duration.ofSeconds(6)); // 16 s of silence
            double expiriesBefore = meters.counter("weft.agents.lease.expiries").count();
            java.util.List<String> lost = sweeper.sweep(); // other tests' idle agents may expire with it
            assertThat(lost).contains(id);

            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("LOST");
            assertThat(AgentTestSupport.events(jdbc, "AGENT_LOST", id)).isEqualTo(1);
            assertThat(meters.counter("weft.agents.lease.expiries").count()).isEqualTo(expiriesBefore + lost.size());
            Status status = agent.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(status.getDescription()).contains("lease", id);
        }
    }

    @Test
    void aDisconnectedAgentKeepsItsLeaseUntilItRunsOutAndThenMayRegisterAgain() {
        String id = AgentTestSupport.agentId("gone");
        Welcome welcome;
        try (TestAgent agent = new TestAgent(channel, id)) {
            welcome = agent.register();
            agent.hangUp();
            agent.closedWith();
        }
        AgentTestSupport.awaitState(jdbc, id, "DISCONNECTED");
        clock.advance(Duration.ofSeconds(14));
        assertThat(sweeper.sweep()).doesNotContain(id);
        clock.advance(Duration.ofSeconds(2));
        assertThat(sweeper.sweep()).contains(id);
        assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("LOST");

        try (TestAgent back = new TestAgent(channel, id)) {
            back.hello(TestAgent.hello(id).setSessionCredential(welcome.getSessionCredential()));
            assertThat(back.next().getWelcome().getResumed()).isTrue();
            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("CONNECTED");
            JsonNode view = api.get("/api/v1/agents/" + id).json();
            assertThat(view.get("state").asString()).isEqualTo("CONNECTED");
        }
    }

    @Test
    void agentThatLeavesIsLostAtOnceAndItsStreamEnds() {
        String id = AgentTestSupport.agentId("leaver");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.hello(TestAgent.hello(id).addRunningReplicas(TestAgent.replica("shop", "v1", "cart")));
            Welcome welcome = agent.next().getWelcome();
            var stub = AgentServiceGrpc.newBlockingStub(channel);

            StatusRuntimeException wrong = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> stub.leave(LeaveRequest.newBuilder()
                            .setAgentId(id)
                            .setSessionCredential("not-it")
                            .build()));
            assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(wrong.getStatus().getDescription()).contains("session_credential", id);
            assertThat(agent.isOpen()).isTrue();

            LeaveResponse left = stub.leave(LeaveRequest.newBuilder()
                    .setAgentId(id)
                    .setSessionCredential(welcome.getSessionCredential())
                    .setReason("host shutting down")
                    .build());

            assertThat(left.getReplicasReleased()).isEqualTo(1);
            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("LOST");
            assertThat(jdbc.sql("select message from events where kind = 'AGENT_LEFT' and agent_id = ?")
                            .param(id)
                            .query(String.class)
                            .single())
                    .contains("host shutting down");
            assertThat(agent.next().getDrain().getReleased()).isTrue();
            assertThat(agent.closedWith().getCode()).isEqualTo(Status.Code.OK);
        }
    }

    private void awaitUsage(String id, int cpu) {
        AgentTestSupport.await(
                "agent " + id + " reports " + cpu + " millicores in use",
                () -> api.get("/api/v1/agents/" + id)
                                .json()
                                .get("usage")
                                .get("cpuMillis")
                                .asInt()
                        == cpu);
    }
}
