package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.MessageError;
import dev.weft.scheduler.HttpApi;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every kind of bad input over gRPC gets its status and a message naming the problem, and touches no
 * other agent: protocol errors end only the offender's stream, bad reports are answered in-stream.
 */
@AgentIntegrationTest
class AgentBadInputTest {

    static final String SHOP = "bad-agent-shop";

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = AgentTestSupport.channel(grpcServer.getPort());
        AgentTestSupport.registerShop(new HttpApi(httpPort), SHOP);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        AgentTestSupport.shutdown(channel);
    }

    @Test
    void helloWithoutAnAgentIdIsInvalidArgument() {
        try (TestAgent agent = new TestAgent(channel, "")) {
            agent.hello(TestAgent.hello(""));
            Status status = agent.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("hello.agent_id is missing");
        }
    }

    @Test
    void helloWithAMalformedFieldIsInvalidArgumentNamingTheField() {
        String id = AgentTestSupport.agentId("malformed");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.hello(TestAgent.hello(id).setZone("zone with spaces"));
            Status status = agent.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("hello.zone", "zone with spaces");
        }
    }

    @Test
    void reportBeforeHelloIsFailedPrecondition() {
        try (TestAgent agent = new TestAgent(channel, "eager")) {
            agent.report(TestAgent.shopReport(SHOP, 1));
            Status status = agent.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(status.getDescription()).contains("load_report sent before hello");
        }
    }

    @Test
    void secondHelloOnOneStreamIsFailedPrecondition() {
        String id = AgentTestSupport.agentId("chatty");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            agent.hello(TestAgent.hello(id));
            Status status = agent.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(status.getDescription()).contains("hello sent twice", id);
        }
    }

    static Stream<Arguments> badReports() {
        return Stream.of(
                Arguments.of(
                        "unknown version",
                        edit(r -> r.setComponents(
                                0, r.getComponents(0).toBuilder().setVersion("v9"))),
                        Status.Code.NOT_FOUND,
                        "no registered version 'v9'"),
                Arguments.of(
                        "unknown application",
                        edit(r -> r.setComponents(
                                0, r.getComponents(0).toBuilder().setApplication("no-such-app"))),
                        Status.Code.NOT_FOUND,
                        "application 'no-such-app'"),
                Arguments.of(
                        "unknown component",
                        edit(r -> r.setComponents(
                                0, r.getComponents(0).toBuilder().setComponent("warehouse"))),
                        Status.Code.NOT_FOUND,
                        "load_report.components[0].component: version 'v1' of application '" + SHOP
                                + "' has no component 'warehouse'"),
                Arguments.of(
                        "unknown callee",
                        edit(r -> r.setEdges(0, r.getEdges(0).toBuilder().setCallee("vault"))),
                        Status.Code.NOT_FOUND,
                        "load_report.edges[0].callee"),
                Arguments.of(
                        "negative CPU",
                        edit(r -> r.setComponents(
                                0, r.getComponents(0).toBuilder().setCpuCores(-1))),
                        Status.Code.INVALID_ARGUMENT,
                        "load_report.components[0].cpu_cores must be a finite number >= 0, was -1.0"),
                Arguments.of(
                        "NaN latency",
                        edit(r -> r.setEdges(0, r.getEdges(0).toBuilder().setLatencyP99Ms(Double.NaN))),
                        Status.Code.INVALID_ARGUMENT,
                        "load_report.edges[0].latency_p99_ms must be a finite number >= 0, was NaN"),
                Arguments.of(
                        "infinite request rate",
                        edit(r -> r.setComponents(
                                0, r.getComponents(0).toBuilder().setRequestsPerSecond(Double.POSITIVE_INFINITY))),
                        Status.Code.INVALID_ARGUMENT,
                        "requests_per_second"),
                Arguments.of(
                        "no interval",
                        edit(LoadReport.Builder::clearInterval),
                        Status.Code.INVALID_ARGUMENT,
                        "load_report.interval is missing"),
                Arguments.of(
                        "call across versions",
                        edit(r -> r.setEdges(0, r.getEdges(0).toBuilder().setCalleeVersion("v2"))),
                        Status.Code.INVALID_ARGUMENT,
                        "calls across versions are violations"),
                Arguments.of(
                        "component without a name",
                        edit(r -> r.addComponents(
                                ComponentLoad.newBuilder().setApplication(SHOP).setVersion("v1"))),
                        Status.Code.INVALID_ARGUMENT,
                        "load_report.components[1].component is missing"),
                Arguments.of(
                        "edge without an application",
                        edit(r -> r.addEdges(EdgeLoad.newBuilder())),
                        Status.Code.INVALID_ARGUMENT,
                        "load_report.edges[1].application is missing"));
    }

    private static UnaryOperator<LoadReport.Builder> edit(java.util.function.Consumer<LoadReport.Builder> change) {
        return builder -> {
            change.accept(builder);
            return builder;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReports")
    void badReportIsAnsweredInStreamAndTheStreamGoesOn(
            String description, UnaryOperator<LoadReport.Builder> change, Status.Code code, String named) {
        String id = AgentTestSupport.agentId("bad-report");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            double rejectedBefore = rejectedWith(code);

            agent.report(change.apply(TestAgent.shopReport(SHOP, 41)));
            ControlMessage answer = agent.next();

            assertThat(answer.hasError()).as(answer.toString()).isTrue();
            MessageError error = answer.getError();
            assertThat(error.getCode()).isEqualTo(code.value());
            assertThat(error.getCodeName()).isEqualTo(code.name());
            assertThat(error.getMessage()).contains(named);
            assertThat(error.getSequence()).isEqualTo(41);
            assertThat(rejectedWith(code))
                    .as("rejections counted under a reason whose status is " + code)
                    .isEqualTo(rejectedBefore + 1);

            // the stream is still good for the next, valid report
            agent.report(TestAgent.shopReport(SHOP, 42));
            ControlMessage ack = agent.next();
            assertThat(ack.getReportAck().getSequence()).isEqualTo(42);
            assertThat(agent.isOpen()).isTrue();
        }
    }

    @Test
    void oversizedMessageIsResourceExhausted() {
        String id = AgentTestSupport.agentId("big");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            LoadReport.Builder huge = TestAgent.shopReport(SHOP, 1);
            ComponentLoad padding = huge.getComponents(0).toBuilder()
                    .setComponent("x".repeat(60_000))
                    .build();
            for (int i = 0; i < 20; i++) {
                huge.addComponents(padding); // about 1.2 MB, above the test's 1 MB limit
            }
            agent.report(huge);
            Status status = agent.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("load_report of", "bytes exceeds the limit of 1048576 bytes");
        }
    }

    @Test
    void messageAboveGrpcsOwnLimitIsResourceExhaustedToo() {
        // 2 MB is the transport's hard limit in these tests; as a stream's first message gRPC itself says why
        String id = AgentTestSupport.agentId("huge");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.hello(TestAgent.hello(id).setAgentVersion("z".repeat(2_200_000)));
            Status status = agent.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("exceeds maximum size");
        }
    }

    @Test
    void floodingAgentIsCutOffWhileAGoodAgentStreamsOn() {
        String good = AgentTestSupport.agentId("good");
        String flooder = AgentTestSupport.agentId("flood");
        String liar = AgentTestSupport.agentId("liar");
        String giant = AgentTestSupport.agentId("giant");
        try (TestAgent well = new TestAgent(channel, good);
                TestAgent flood = new TestAgent(channel, flooder);
                TestAgent lying = new TestAgent(channel, liar);
                TestAgent big = new TestAgent(channel, giant)) {
            well.register();
            flood.register();
            lying.register();
            big.register();
            double rateLimitedBefore = rejected("rate_limited");

            // the test burst is 40 and the test clock stands still, so the 41st message is one too many
            for (int i = 0; i < 100; i++) {
                flood.heartbeat(Heartbeat.newBuilder());
            }
            lying.report(TestAgent.shopReport(SHOP, 1)
                    .setComponents(
                            0,
                            TestAgent.shopReport(SHOP, 1).getComponents(0).toBuilder()
                                    .setCpuCores(Double.NaN)));
            big.send(AgentMessage.newBuilder()
                    .setHeartbeat(Heartbeat.newBuilder()
                            .setUsage(
                                    dev.weft.api.agent.v1.Resources.newBuilder().setCpuMillicores(1))
                            .addRunningReplicas(TestAgent.replica(SHOP, "v1", "y".repeat(1_100_000))))
                    .build());

            Status cutOff = flood.closedWith();
            assertThat(cutOff.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(cutOff.getDescription()).contains(flooder, "messages");
            assertThat(rejected("rate_limited")).isEqualTo(rateLimitedBefore + 1);
            assertThat(lying.next().getError().getCodeName()).isEqualTo("INVALID_ARGUMENT");
            assertThat(big.closedWith().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

            for (long sequence = 1; sequence <= 5; sequence++) {
                well.report(TestAgent.shopReport(SHOP, sequence));
                ControlMessage ack = well.next();
                assertThat(ack.getReportAck().getSequence()).isEqualTo(sequence);
            }
            assertThat(well.isOpen()).isTrue();
            assertThat(lying.isOpen()).isTrue();
            assertThat(AgentTestSupport.state(jdbc, good)).isEqualTo("CONNECTED");
        }
    }

    @Test
    void helloWithAGenerationBeyondWhatTheControlPlaneIssuesIsInvalidArgument() {
        String id = AgentTestSupport.agentId("future");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.hello(TestAgent.hello(id).setAppliedGeneration(Long.MIN_VALUE)); // 2^63 as uint64
            Status status = agent.closedWith();
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("hello.applied_generation", "9223372036854775808");
        }
        assertThat(jdbc.sql("select count(*) from agents where id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    /** Rejections counted under every reason whose gRPC status is {@code code}. */
    private double rejectedWith(Status.Code code) {
        double sum = 0;
        for (AgentError error : AgentError.values()) {
            if (error.grpcStatus() == code) {
                sum += rejected(error.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return sum;
    }

    /** Rejections counted for one reason, or for all reasons when {@code reason} is "any" or null. */
    private double rejected(String reason) {
        var search = meters.find("weft.agents.messages.rejected");
        if (reason != null && !reason.equals("any")) {
            search = search.tag("reason", reason);
        }
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
