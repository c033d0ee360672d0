package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.Resources;
import dev.weft.scheduler.HttpApi;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The database's copy of a lease may lag or be changed by another control-plane node: a stream that talks
 * keeps its agent alive whatever the stored lease says, a write that fails is retried without costing other
 * agents theirs, and a row another node changed (lost, revoked, taken over, draining) reaches the stream here.
 */
@AgentIntegrationTest
class AgentLivenessTest {

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

    @Autowired
    AgentSessions sessions;

    @Autowired
    javax.sql.DataSource dataSource;

    ManagedChannel channel;
    HttpApi api;

    @BeforeEach
    void connect() {
        channel = AgentTestSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
        // the replicas these agents report run the online shop, which must be registered
        AgentTestSupport.registerShop(api, "shop");
        sweeper.sweep();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        AgentTestSupport.shutdown(channel);
    }

    @Test
    void anAgentTalkingOnItsStreamIsNotMarkedLostWhenItsStoredLeaseLags() {
        String id = AgentTestSupport.agentId("lagging");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            // as if every write of this agent's liveness had failed for a minute
            jdbc.sql("update agents set lease_expires_at = ? where id = ?")
                    .params(Timestamp.from(clock.instant().minus(Duration.ofMinutes(1))), id)
                    .update();

            clock.advance(Duration.ofSeconds(6));
            heartbeat(agent, 600);
            assertThat(sweeper.sweep()).doesNotContain(id);
            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("CONNECTED");
            assertThat(agent.isOpen()).isTrue();
            assertThat(storedLease(id)).as("the sweep renewed the stored lease").isAfter(clock.instant());
        }
    }

    @Test
    void anAgentWhoseMessageTheControlPlaneIsStillHandlingIsNotMarkedLost() throws Exception {
        String id = AgentTestSupport.agentId("patient");
        String application = "slow-" + id.substring(id.length() - 8);
        AgentTestSupport.registerShop(api, application); // a version no stream has loaded yet
        try (TestAgent agent = new TestAgent(channel, id);
                java.sql.Connection lock = dataSource.getConnection()) {
            agent.register();
            lock.setAutoCommit(false);
            try (var statement = lock.createStatement()) {
                statement.execute("lock table components in access exclusive mode");
            }
            // loading the version's ids now waits for the lock: the control plane, not the agent, is slow
            agent.report(TestAgent.shopReport(application, 1));
            AgentTestSupport.await(
                    "the report waits for the locked table",
                    () -> jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")
                                    .query(Long.class)
                                    .single()
                            > 0);
            clock.advance(Duration.ofSeconds(20)); // longer than the lease
            assertThat(sweeper.sweep()).doesNotContain(id);
            lock.rollback();
            assertThat(agent.next().getReportAck().getSequence()).isEqualTo(1);
            assertThat(AgentTestSupport.state(jdbc, id)).isEqualTo("CONNECTED");
            assertThat(agent.isOpen()).isTrue();
        }
    }

    @Test
    void aLivenessRowTheDatabaseRefusesIsRetriedAndDoesNotCostOtherAgentsTheirLease() {
        String refused = AgentTestSupport.agentId("refused");
        String fine = AgentTestSupport.agentId("fine");
        try (TestAgent bad = new TestAgent(channel, refused);
                TestAgent good = new TestAgent(channel, fine)) {
            bad.register();
            good.register();
            double failuresBefore =
                    meters.counter("weft.agents.liveness.write.failures").count();
            // a rule only the first agent's next row breaks, so its batch fails as a whole
            jdbc.sql("alter table agents add constraint test_refuses_usage check (used_cpu_millis <> 777) not valid")
                    .update();
            try {
                clock.advance(Duration.ofSeconds(6));
                heartbeat(bad, 777);
                heartbeat(good, 500);
                sweeper.sweep();

                assertThat(usedCpu(fine)).isEqualTo(500);
                assertThat(usedCpu(refused)).isZero();
                assertThat(meters.counter("weft.agents.liveness.write.failures").count())
                        .isEqualTo(failuresBefore + 1);
                assertThat(bad.isOpen()).isTrue();
            } finally {
                jdbc.sql("alter table agents drop constraint test_refuses_usage")
                        .update();
            }
            sweeper.sweep(); // the failed row was not counted as written: this sweep writes it
            assertThat(usedCpu(refused)).isEqualTo(777);
            assertThat(AgentTestSupport.state(jdbc, refused)).isEqualTo("CONNECTED");
        }
    }

    @Test
    void aStreamWhoseAgentAnotherNodeMarkedLostIsEndedSoTheAgentReconnects() {
        assertStreamEndsWhenAnotherNodeChangesTheRow(
                "update agents set state = 'LOST' where id = ?", Status.Code.DEADLINE_EXCEEDED, "marked lost");
    }

    @Test
    void aStreamWhoseAgentAnotherNodeRevokedIsEndedWithPermissionDenied() {
        assertStreamEndsWhenAnotherNodeChangesTheRow(
                "update agents set state = 'REVOKED' where id = ?", Status.Code.PERMISSION_DENIED, "revoked");
    }

    @Test
    void aStreamReplacedByANewerOneOnAnotherNodeIsEndedWithAborted() {
        assertStreamEndsWhenAnotherNodeChangesTheRow(
                "update agents set session_token_hash = repeat('a', 64) where id = ?",
                Status.Code.ABORTED,
                "newer stream");
    }

    @Test
    void aDrainOrderedThroughAnotherNodeReachesTheStreamHeldHere() {
        String id = AgentTestSupport.agentId("far-drain");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.hello(TestAgent.hello(id).addRunningReplicas(TestAgent.replica("shop", "v1", "cart")));
            agent.next().getWelcome();
            jdbc.sql("update agents set cordoned = true, draining = true where id = ?")
                    .param(id)
                    .update();
            sweeper.sweep();
            assertThat(agent.next().getDrain().getReleased()).isFalse();
            sweeper.sweep(); // said once, not on every sweep: the next message is the answer to the next heartbeat
            agent.heartbeat(Heartbeat.newBuilder()
                    .addRunningReplicas(TestAgent.replica("shop", "v1", "cart"))
                    .setAppliedGeneration(-1)); // 2^64-1 on the wire
            var error = agent.next().getError();
            assertThat(error.getCodeName()).isEqualTo("INVALID_ARGUMENT");
            assertThat(error.getMessage()).contains("heartbeat.applied_generation", "18446744073709551615");
            assertThat(agent.isOpen()).isTrue();
            assertThat(AgentTestSupport.state(jdbc, id))
                    .as("it still runs a replica, so it is not released")
                    .isEqualTo("CONNECTED");
        }
    }

    private void assertStreamEndsWhenAnotherNodeChangesTheRow(String update, Status.Code code, String says) {
        String id = AgentTestSupport.agentId("elsewhere");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            jdbc.sql(update).param(id).update();
            clock.advance(Duration.ofSeconds(6)); // the next liveness write is due
            heartbeat(agent, 100);
            sweeper.sweep();
            Status status = agent.closedWith();
            assertThat(status.getCode()).isEqualTo(code);
            assertThat(status.getDescription()).contains(id, says);
        }
    }

    private void heartbeat(TestAgent agent, int cpuMillis) {
        agent.heartbeat(Heartbeat.newBuilder()
                .setUsage(Resources.newBuilder().setCpuMillicores(cpuMillis).setMemoryMib(64)));
        AgentTestSupport.await(
                "agent " + agent.id + " reports " + cpuMillis + " millicores",
                () -> sessions.get(agent.id)
                        .map(session -> session.usedCpuMillis() == cpuMillis)
                        .orElse(false));
    }

    private int usedCpu(String id) {
        return jdbc.sql("select used_cpu_millis from agents where id = ?")
                .param(id)
                .query(Integer.class)
                .single();
    }

    private Instant storedLease(String id) {
        return jdbc.sql("select lease_expires_at from agents where id = ?")
                .param(id)
                .query(Timestamp.class)
                .single()
                .toInstant();
    }
}
