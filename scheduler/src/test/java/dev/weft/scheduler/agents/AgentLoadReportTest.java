package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.AssignmentAck;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.ReportAck;
import dev.weft.api.agent.v1.Violation;
import dev.weft.api.agent.v1.ViolationReport;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.load.LoadReport;
import dev.weft.scheduler.load.LoadSink;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Load reports are checked, resolved to database ids, handed to ingestion and acked; backpressure slows agents down. */
@AgentIntegrationTest
class AgentLoadReportTest {

    static final String SHOP = "report-shop";

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SteerableLoadSink sink;

    @Autowired
    LeaseSweeper sweeper;

    @Autowired
    MeterRegistry meters;

    @Autowired
    SettableClock clock;

    ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = AgentTestSupport.channel(grpcServer.getPort());
        AgentTestSupport.registerShop(new HttpApi(httpPort), SHOP);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        sink.force(null);
        AgentTestSupport.shutdown(channel);
    }

    @Test
    void reportIsResolvedToDatabaseIdsHandedToIngestionAndAckedBySequence() {
        String id = AgentTestSupport.agentId("reporter");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            agent.report(TestAgent.shopReport(SHOP, 17));

            ReportAck ack = agent.next().getReportAck();
            assertThat(ack.getSequence()).isEqualTo(17);
            assertThat(ack.getOutcome()).isIn(ReportAck.Outcome.OUTCOME_ACCEPTED, ReportAck.Outcome.OUTCOME_COALESCED);

            List<LoadReport> offered = sink.offeredBy(id);
            assertThat(offered).hasSize(1);
            LoadReport report = offered.getFirst();
            long versionId = jdbc.sql(
                            "select v.id from versions v join applications a on a.id = v.application_id where a.name = ? and v.name = 'v1'")
                    .param(SHOP)
                    .query(Long.class)
                    .single();
            assertThat(report.intervalSeconds()).isEqualTo(10.0);
            assertThat(report.components()).singleElement().satisfies(c -> {
                assertThat(c.versionId()).isEqualTo(versionId);
                assertThat(c.componentId()).isEqualTo(componentId(versionId, "cart"));
                assertThat(c.cpuCores()).isEqualTo(0.5);
                assertThat(c.requestsPerSecond()).isEqualTo(120);
                assertThat(c.inFlight()).isEqualTo(3);
            });
            assertThat(report.edges()).singleElement().satisfies(e -> {
                assertThat(e.callerId()).isEqualTo(componentId(versionId, "cart"));
                assertThat(e.calleeId()).isEqualTo(componentId(versionId, "cart-store"));
                assertThat(e.latencyP99Ms()).isEqualTo(9);
            });
        }
    }

    @Test
    void whenIngestionFallsBehindTheAgentIsSlowedDownUpToTheLimitAndRestoredOnceItKeepsUp() {
        String id = AgentTestSupport.agentId("slow");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            double slowDownsBefore = meters.counter("weft.agents.reports", "outcome", "slow_down")
                    .count();
            sink.force(LoadSink.Admission.SLOW_DOWN);
            long sequence = 0;
            for (long expected : new long[] {20, 40, 60}) {
                clock.advance(java.time.Duration.ofSeconds(10)); // each report covers new time
                agent.report(TestAgent.shopReport(SHOP, ++sequence));
                assertThat(agent.next().getReportAck().getSequence()).isEqualTo(sequence);
                ControlMessage slowDown = agent.next();
                assertThat(slowDown.getSlowDown().getReportInterval().getSeconds())
                        .isEqualTo(expected);
                assertThat(slowDown.getSlowDown().getReason()).contains("behind");
            }
            // at the 60 s ceiling, a further SLOW_DOWN changes nothing and says nothing
            clock.advance(java.time.Duration.ofSeconds(10));
            agent.report(TestAgent.shopReport(SHOP, ++sequence));
            assertThat(agent.next().getReportAck().getSequence()).isEqualTo(sequence);
            assertThat(meters.counter("weft.agents.reports", "outcome", "slow_down")
                            .count())
                    .isEqualTo(slowDownsBefore + 4);

            sink.force(LoadSink.Admission.ACCEPTED);
            for (int i = 1; i < AgentStream.RECOVER_AFTER; i++) {
                clock.advance(java.time.Duration.ofSeconds(10));
                agent.report(TestAgent.shopReport(SHOP, ++sequence));
                assertThat(agent.next().hasReportAck()).isTrue();
            }
            clock.advance(java.time.Duration.ofSeconds(10));
            agent.report(TestAgent.shopReport(SHOP, ++sequence));
            assertThat(agent.next().getReportAck().getSequence()).isEqualTo(sequence);
            ControlMessage restored = agent.next();
            assertThat(restored.getSlowDown().getReportInterval().getSeconds()).isEqualTo(10);
        }
    }

    @Test
    void refusedCrossVersionCallsAreRecordedAsViolations() {
        AgentTestSupport.registerShop(new HttpApi(httpPort), SHOP, "v0");
        String id = AgentTestSupport.agentId("guard");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            double before = meters.counter("weft.agents.violations", "application", SHOP)
                    .count();
            agent.send(AgentMessage.newBuilder()
                    .setViolationReport(ViolationReport.newBuilder()
                            .setSequence(1)
                            .addViolations(Violation.newBuilder()
                                    .setApplication(SHOP)
                                    .setCallerVersion("v0")
                                    .setCalleeVersion("v1")
                                    .setCaller("frontend")
                                    .setCallee("cart")
                                    .setCount(3)))
                    .build());
            // a report after it is acked, so the violation was handled before
            agent.report(TestAgent.shopReport(SHOP, 1));
            assertThat(agent.next().getReportAck().getSequence()).isEqualTo(1);

            String message = jdbc.sql("select message from events where kind = 'VERSION_VIOLATION' and agent_id = ?")
                    .param(id)
                    .query(String.class)
                    .single();
            assertThat(message).contains("3 call(s)", "frontend@v0", "cart@v1");
            assertThat(meters.counter("weft.agents.violations", "application", SHOP)
                            .count())
                    .isEqualTo(before + 3);
        }
    }

    @Test
    void aViolationNamingAnUnregisteredVersionIsRefusedAndNeitherLoggedNorCounted() {
        String id = AgentTestSupport.agentId("liar");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            agent.send(AgentMessage.newBuilder()
                    .setViolationReport(ViolationReport.newBuilder()
                            .setSequence(7)
                            .addViolations(Violation.newBuilder()
                                    .setApplication("made-up-" + id)
                                    .setCallerVersion("v0")
                                    .setCalleeVersion("v1")
                                    .setCaller("frontend")
                                    .setCallee("cart")
                                    .setCount(3)))
                    .build());
            var error = agent.next().getError();
            assertThat(error.getCodeName()).isEqualTo("NOT_FOUND");
            assertThat(error.getSequence()).isEqualTo(7);
            assertThat(error.getMessage()).contains("violation_report.violations[0].caller", "made-up-" + id, "v0");
            assertThat(agent.isOpen()).isTrue();
            assertThat(AgentTestSupport.events(jdbc, "VERSION_VIOLATION", id)).isZero();
            assertThat(meters.find("weft.agents.violations")
                            .tag("application", "made-up-" + id)
                            .counter())
                    .isNull();
        }
    }

    @Test
    void reportsCoveringMoreTimeThanHasPassedCountOnlyUpToTheClock() {
        String id = AgentTestSupport.agentId("inflater");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            agent.report(TestAgent.shopReport(SHOP, 1)); // 10 s, the agent's first report: all of it counts
            assertThat(agent.next().getReportAck().getCountedInterval().getSeconds())
                    .isEqualTo(10);
            agent.report(TestAgent.shopReport(SHOP, 2)); // back to back: within the 60 s the clock may be outrun
            assertThat(agent.next().getReportAck().getCountedInterval().getSeconds())
                    .isEqualTo(10);

            // an hour claimed at the same moment: only what is left of the 60 s counts
            agent.report(TestAgent.shopReport(SHOP, 3)
                    .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(3600)));
            ReportAck inflated = agent.next().getReportAck();
            assertThat(inflated.getOutcome())
                    .isIn(ReportAck.Outcome.OUTCOME_ACCEPTED, ReportAck.Outcome.OUTCOME_COALESCED);
            assertThat(inflated.getCountedInterval().getSeconds()).isEqualTo(50);

            agent.report(TestAgent.shopReport(SHOP, 4)); // nothing left to cover
            ReportAck overlap = agent.next().getReportAck();
            assertThat(overlap.getOutcome()).isEqualTo(ReportAck.Outcome.OUTCOME_OVERLAP);
            assertThat(overlap.getCountedInterval().getSeconds()).isZero();

            clock.advance(java.time.Duration.ofSeconds(10)); // ten seconds later, ten seconds count again
            agent.report(TestAgent.shopReport(SHOP, 5)
                    .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(3600)));
            assertThat(agent.next().getReportAck().getCountedInterval().getSeconds())
                    .isEqualTo(10);

            assertThat(sink.offeredBy(id))
                    .extracting(LoadReport::intervalSeconds)
                    .containsExactly(10.0, 10.0, 50.0, 10.0);
            assertThat(meters.counter("weft.agents.reports.overlapping").count())
                    .isPositive();
            assertThat(meters.counter("weft.agents.reports.trimmed").count()).isPositive();
        }
    }

    @Test
    void samplesIngestionCouldNotKeepAreAckedAsPartialWithTheirCount() {
        String id = AgentTestSupport.agentId("partial");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            sink.forceDropped(1);
            agent.report(TestAgent.shopReport(SHOP, 9));
            ReportAck ack = agent.next().getReportAck();
            assertThat(ack.getOutcome()).isEqualTo(ReportAck.Outcome.OUTCOME_PARTIAL);
            assertThat(ack.getSamplesDropped()).isEqualTo(1);
        }
    }

    @Test
    void bodiesFromANewerAgentAreIgnoredAndAssignmentAcksAreRecorded() {
        String id = AgentTestSupport.agentId("newer");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            // a message whose body this control plane does not know arrives as an empty envelope plus unknown fields
            agent.send(AgentMessage.newBuilder()
                    .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                            .addField(
                                    99,
                                    com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                                            .addVarint(1)
                                            .build())
                            .build())
                    .build());
            agent.send(AgentMessage.newBuilder()
                    .setAssignmentAck(
                            AssignmentAck.newBuilder().setGeneration(12).setApplied(true))
                    .build());
            agent.report(TestAgent.shopReport(SHOP, 5));
            assertThat(agent.next().getReportAck().getSequence()).isEqualTo(5);

            sweeper.writeLiveness();
            assertThat(jdbc.sql("select applied_generation from agents where id = ?")
                            .param(id)
                            .query(Long.class)
                            .single())
                    .isEqualTo(12);
        }
    }

    @Test
    void streamsAndReportsAreCountedInActuatorMetrics() {
        HttpApi api = new HttpApi(httpPort);
        // earlier tests' streams end on the server's threads: start from a count that has settled
        AgentTestSupport.await("the count of open streams settles", () -> {
            double first = actuator(api, "weft.agents.connected", "");
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            return actuator(api, "weft.agents.connected", "") == first;
        });
        double connected = actuator(api, "weft.agents.connected", "");
        double accepted = actuator(api, "weft.agents.reports", "?tag=outcome:accepted");
        double notFound = actuator(api, "weft.agents.messages.rejected", "?tag=reason:unknown_version");
        String id = AgentTestSupport.agentId("counted");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            assertThat(actuator(api, "weft.agents.connected", "")).isEqualTo(connected + 1);
            clock.advance(java.time.Duration.ofSeconds(10));
            agent.report(TestAgent.shopReport(SHOP, 1));
            assertThat(agent.next().getReportAck().getOutcome()).isEqualTo(ReportAck.Outcome.OUTCOME_ACCEPTED);
            agent.report(TestAgent.shopReport(SHOP, 2)
                    .setComponents(
                            0,
                            TestAgent.shopReport(SHOP, 2).getComponents(0).toBuilder()
                                    .setVersion("v404")));
            assertThat(agent.next().getError().getCodeName()).isEqualTo("NOT_FOUND");
            assertThat(actuator(api, "weft.agents.reports", "?tag=outcome:accepted"))
                    .isEqualTo(accepted + 1);
            assertThat(actuator(api, "weft.agents.messages.rejected", "?tag=reason:unknown_version"))
                    .isEqualTo(notFound + 1);
            agent.hangUp();
            agent.closedWith();
        }
        AgentTestSupport.await(
                "the stream is no longer counted", () -> actuator(api, "weft.agents.connected", "") == connected);
    }

    private static double actuator(HttpApi api, String name, String query) {
        HttpApi.Response response = api.get("/actuator/metrics/" + name + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("measurements").get(0).get("value").asDouble();
    }

    private long componentId(long versionId, String name) {
        return jdbc.sql("select id from components where version_id = ? and name = ?")
                .params(versionId, name)
                .query(Long.class)
                .single();
    }
}
