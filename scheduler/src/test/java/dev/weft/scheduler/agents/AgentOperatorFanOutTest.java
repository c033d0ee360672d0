package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.cluster.TwoNodes;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operator's cordon, drain or revoke made through one control-plane node reaches an agent whose stream another
 * node holds within a second, over the cluster bus, not at the stream's next liveness write (the nodes sweep only
 * once an hour here). One agent is connected to each node.
 */
class AgentOperatorFanOutTest {

    static TwoNodes nodes;
    static ManagedChannel toA;
    static ManagedChannel toB;

    @BeforeAll
    static void twoNodes() {
        nodes = TwoNodes.shared();
    }

    @BeforeEach
    void bothRunning() {
        nodes.ensureRunning();
        // a node restarted by another test listens on new ports
        closeChannels();
        toA = AgentTestSupport.channel(nodes.a().grpcPort());
        toB = AgentTestSupport.channel(nodes.b().grpcPort());
        for (TwoNodes.Node node : nodes.nodes()) {
            TwoNodes.await(node + " listens", () -> node.bus().isListening());
        }
    }

    @AfterAll
    static void closeChannels() {
        for (ManagedChannel channel : new ManagedChannel[] {toA, toB}) {
            if (channel != null) {
                try {
                    AgentTestSupport.shutdown(channel);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void agentRevokedThroughTheOtherNodeIsCutOffWithinASecond() {
        String onA = AgentTestSupport.agentId("fan-revoke-a");
        String onB = AgentTestSupport.agentId("fan-revoke-b");
        try (TestAgent agentOnA = new TestAgent(toA, onA);
                TestAgent agentOnB = new TestAgent(toB, onB)) {
            agentOnA.register();
            agentOnB.register();

            HttpApi.Response revoked = nodes.b().http().post("/api/v1/agents/" + onA + "/revoke", "");
            long answered = System.nanoTime();
            assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
            Status status = agentOnA.closedWith();
            Duration took = Duration.ofNanos(System.nanoTime() - answered);

            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("revoked", onA);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(agentOnB.isOpen()).as("the other agent's stream").isTrue();
        }
    }

    @Test
    void drainAndUncordonThroughTheOtherNodeReachTheAgentWithinASecond() {
        String onB = AgentTestSupport.agentId("fan-drain-b");
        try (TestAgent agentOnB = new TestAgent(toB, onB)) {
            agentOnB.hello(TestAgent.hello(onB).addRunningReplicas(TestAgent.replica("shop", "v1", "cart")));
            assertThat(agentOnB.next().hasWelcome()).isTrue();

            HttpApi.Response draining = nodes.a().http().post("/api/v1/agents/" + onB + "/drain", "");
            long answered = System.nanoTime();
            assertThat(draining.status()).as(draining.body()).isEqualTo(200);
            ControlMessage drain = agentOnB.next();
            Duration took = Duration.ofNanos(System.nanoTime() - answered);
            assertThat(drain.hasDrain()).as(drain.toString()).isTrue();
            assertThat(drain.getDrain().getReleased())
                    .as("it still runs a replica")
                    .isFalse();
            assertThat(took).isLessThan(Duration.ofSeconds(1));

            // uncordon ends the drain on the node holding the stream, so a second drain is told again
            assertThat(nodes.a()
                            .http()
                            .post("/api/v1/agents/" + onB + "/uncordon", "")
                            .status())
                    .isEqualTo(200);
            AgentSessions sessionsOfB = nodes.b().bean(AgentSessions.class);
            TwoNodes.await(
                    "node-b's session is no longer draining",
                    () -> !sessionsOfB.get(onB).orElseThrow().draining());
            assertThat(nodes.a()
                            .http()
                            .post("/api/v1/agents/" + onB + "/drain", "")
                            .status())
                    .isEqualTo(200);
            assertThat(agentOnB.next().getDrain().getReleased()).isFalse();
            assertThat(agentOnB.isOpen()).isTrue();
        }
    }

    @Test
    void agentDrainedThroughTheOtherNodeWhileRunningNothingIsReleasedAndItsStreamEnds() {
        String onA = AgentTestSupport.agentId("fan-release-a");
        try (TestAgent agentOnA = new TestAgent(toA, onA)) {
            agentOnA.register();

            assertThat(nodes.b()
                            .http()
                            .post("/api/v1/agents/" + onA + "/drain", "")
                            .status())
                    .isEqualTo(200);
            long answered = System.nanoTime();
            Status status = agentOnA.closedWith();
            Duration took = Duration.ofNanos(System.nanoTime() - answered);

            assertThat(status.getCode()).isEqualTo(Status.Code.OK);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            // the drain and the release may be read from the row at once: the last word is the release
            ControlMessage first = agentOnA.next();
            ControlMessage last = first.getDrain().getReleased() ? first : agentOnA.next();
            assertThat(last.getDrain().getReleased()).as(last.toString()).isTrue();
            assertThat(AgentTestSupport.state(nodes.jdbc(), onA)).isEqualTo("RELEASED");
        }
    }

    @Test
    void changeWhoseNotificationWasMissedReachesTheStreamOnceTheBusListensAgain() {
        String onA = AgentTestSupport.agentId("fan-missed-a");
        try (TestAgent agentOnA = new TestAgent(toA, onA)) {
            agentOnA.register();

            // a revoke whose notification node-a never got: the row changed while nothing was sent
            nodes.jdbc()
                    .sql("update agents set state = 'REVOKED', state_changed_at = now() where id = ?")
                    .param(onA)
                    .update();
            assertThat(agentOnA.isOpen()).isTrue();
            nodes.a().killBusConnection();

            Status status = agentOnA.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("revoked");
        }
    }
}
