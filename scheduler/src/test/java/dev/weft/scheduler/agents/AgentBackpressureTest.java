package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.ReportAck;
import dev.weft.scheduler.HttpApi;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole path from a stalled database to the agent, with nothing forced: the real load writer blocks on a
 * table lock, memory fills (this context keeps at most 400 entries, COALESCED above 100), the agent is told to
 * slow down, samples past the bound are acked PARTIAL, another agent's stream is not held up, and once the
 * database is back the writer catches up and the agent is restored to its normal interval.
 */
@AgentIntegrationTest
class AgentBackpressureTest {

    static final String SHOP = "pressure-shop";

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    SettableClock clock;

    @Autowired
    SteerableLoadSink sink;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = AgentTestSupport.channel(grpcServer.getPort());
        AgentTestSupport.registerShop(new HttpApi(httpPort), SHOP);
        sink.force(null);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        AgentTestSupport.shutdown(channel);
    }

    @Test
    void aStalledDatabaseSlowsAgentsDownAndDroppedSamplesAreAckedPartialWhileOtherStreamsGoOn() throws Exception {
        awaitPendingBelow(10); // what earlier tests left in memory is written
        try (TestAgent heavy = new TestAgent(channel, AgentTestSupport.agentId("heavy"));
                TestAgent bystander = new TestAgent(channel, AgentTestSupport.agentId("bystander"))) {
            heavy.register();
            bystander.register();
            List<ReportAck.Outcome> outcomes = new ArrayList<>();
            List<Long> slowDowns = new ArrayList<>();
            long maxBystanderAckMillis = 0;
            int dropped = 0;
            long sequence = 0;
            try (Connection lock = dataSource.getConnection()) {
                lock.setAutoCommit(false);
                try (Statement statement = lock.createStatement()) {
                    statement.execute("lock table component_load in exclusive mode");
                }
                for (int round = 0; round < 40 && dropped == 0; round++) {
                    clock.advance(java.time.Duration.ofSeconds(10)); // a new bucket: 26 new entries per full report
                    ReportAck ack = reportAndAwaitAck(heavy, fullReport(++sequence), slowDowns);
                    outcomes.add(ack.getOutcome());
                    dropped += ack.getSamplesDropped();

                    long started = System.nanoTime();
                    // it may be told to slow down too: the pressure is on the writer every agent shares
                    reportAndAwaitAck(bystander, TestAgent.shopReport(SHOP, sequence), new ArrayList<>());
                    maxBystanderAckMillis =
                            Math.max(maxBystanderAckMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
                assertThat(pending())
                        .as("memory stays bounded while the database is stalled")
                        .isLessThanOrEqualTo(400);
                lock.rollback();
            }

            assertThat(outcomes.getFirst()).isEqualTo(ReportAck.Outcome.OUTCOME_ACCEPTED);
            assertThat(outcomes).contains(ReportAck.Outcome.OUTCOME_COALESCED);
            assertThat(outcomes.getLast()).isEqualTo(ReportAck.Outcome.OUTCOME_PARTIAL);
            assertThat(dropped).isPositive();
            assertThat(slowDowns)
                    .as("report intervals the agent was told to use")
                    .startsWith(20L, 40L);
            assertThat(maxBystanderAckMillis)
                    .as("another agent's acks while the database was stalled")
                    .isLessThan(2_000);

            awaitPendingBelow(60); // the writer got the table back and caught up
            slowDowns.clear();
            for (int i = 0; i < AgentStream.RECOVER_AFTER; i++) {
                awaitPendingBelow(100); // keeping up: below the soft bound before each report
                clock.advance(java.time.Duration.ofSeconds(10));
                assertThat(reportAndAwaitAck(heavy, fullReport(++sequence), slowDowns)
                                .getOutcome())
                        .isIn(ReportAck.Outcome.OUTCOME_ACCEPTED, ReportAck.Outcome.OUTCOME_COALESCED);
            }
            assertThat(slowDowns)
                    .as("no further slow-down once the writer keeps up")
                    .isEmpty();
            ControlMessage restored = heavy.next();
            assertThat(restored.getSlowDown().getReportInterval().getSeconds()).isEqualTo(10);
            assertThat(restored.getSlowDown().getReason()).contains("caught up");
        }
    }

    /** Sends a report and reads up to its ack, noting the slow-down requests that came before it. */
    private static ReportAck reportAndAwaitAck(TestAgent agent, LoadReport.Builder report, List<Long> slowDowns) {
        agent.report(report);
        while (true) {
            ControlMessage message = agent.next();
            if (message.hasSlowDown()) {
                slowDowns.add(message.getSlowDown().getReportInterval().getSeconds());
            } else if (message.hasReportAck() && message.getReportAck().getSequence() == report.getSequence()) {
                return message.getReportAck();
            } else {
                throw new AssertionError("unexpected " + message);
            }
        }
    }

    /** A 10 s report of every component and call edge of the shop. */
    private static LoadReport.Builder fullReport(long sequence) {
        JsonNode spec = JsonMapper.shared().readTree(AgentTestSupport.shopSpec());
        LoadReport.Builder report = LoadReport.newBuilder()
                .setSequence(sequence)
                .setInterval(Duration.newBuilder().setSeconds(10));
        for (JsonNode component : spec.get("components")) {
            report.addComponents(ComponentLoad.newBuilder()
                    .setApplication(SHOP)
                    .setVersion("v1")
                    .setComponent(component.get("name").asString())
                    .setCpuCores(0.25)
                    .setMemoryMib(128)
                    .setRequestsPerSecond(50));
        }
        for (JsonNode edge : spec.get("edges")) {
            report.addEdges(EdgeLoad.newBuilder()
                    .setApplication(SHOP)
                    .setCallerVersion("v1")
                    .setCalleeVersion("v1")
                    .setCaller(edge.get("caller").asString())
                    .setCallee(edge.get("callee").asString())
                    .setCallsPerSecond(40)
                    .setBytesPerSecond(4000)
                    .setLatencyP50Ms(1)
                    .setLatencyP99Ms(5));
        }
        return report;
    }

    private double pending() {
        return meters.get("weft.load.pending.entries").gauge().value();
    }

    private void awaitPendingBelow(int entries) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pending() >= entries) {
            assertThat(System.nanoTime())
                    .as("the load writer empties memory (pending " + pending() + ")")
                    .isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
