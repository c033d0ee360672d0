package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.Hello;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.Resources;
import dev.weft.scheduler.HttpApi;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What an independent agent written from api/README.md found (issue 10.8), and a generator that keeps looking:
 * hostile hellos, heartbeats and reports get the right status and a message naming the field, store nothing,
 * disturb no other agent, and never make the load API answer a non-finite number.
 */
@AgentIntegrationTest
class AgentHostileInputTest {

    static final String SHOP = "hostile-agent-shop";
    static final long SEED = Long.getLong("weft.fuzz.seed", 20261201L);
    static final int TRIES = Integer.getInteger("weft.fuzz.agent-tries", 60);

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    ManagedChannel channel;
    HttpApi api;

    @BeforeEach
    void connect() {
        channel = AgentTestSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
        AgentTestSupport.registerShop(api, SHOP);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        AgentTestSupport.shutdown(channel);
    }

    private Status helloRefused(Hello.Builder hello, Status.Code code, String field) {
        String id = hello.getAgentId();
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.hello(hello);
            Status status = agent.closedWith();
            assertThat(status.getCode()).as(status.toString()).isEqualTo(code);
            assertThat(status.getDescription()).contains(field);
            assertThat(jdbc.sql("select count(*) from agents where id = ?")
                            .param(id)
                            .query(Long.class)
                            .single())
                    .as("nothing stored of a refused hello")
                    .isZero();
            return status;
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "no-port",
                "host:",
                ":7000",
                "host:0",
                "host:65536",
                "host:port",
                "::1:7000",
                "[::1]",
                "a b:7000",
                "host:7000/x",
                "-host:7000",
                "host..x:7000"
            })
    void anAdvertisedAddressMustBeHostAndPort(String address) {
        String id = AgentTestSupport.agentId("address");
        helloRefused(
                TestAgent.hello(id).setAdvertisedAddress(address),
                Status.Code.INVALID_ARGUMENT,
                "hello.advertised_address");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"host:7000", "10.0.0.1:7000", "[::1]:7000", "[fe80::1%eth0]:7000", "node_1.local:1", "h:65535"})
    void aHostAndPortIsAccepted(String address) {
        String id = AgentTestSupport.agentId("address-ok");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.hello(TestAgent.hello(id).setAdvertisedAddress(address));
            assertThat(agent.next().hasWelcome()).isTrue();
        }
    }

    static Stream<Arguments> capacities() {
        return Stream.of(Arguments.of(0, 0), Arguments.of(0, 1024), Arguments.of(1000, 0));
    }

    @ParameterizedTest
    @MethodSource("capacities")
    void anAgentMustOfferSomeCapacity(int cpu, int memory) {
        String id = AgentTestSupport.agentId("capacity");
        helloRefused(
                TestAgent.hello(id)
                        .setCapacity(
                                Resources.newBuilder().setCpuMillicores(cpu).setMemoryMib(memory)),
                Status.Code.INVALID_ARGUMENT,
                "hello.capacity");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example..com/pci", "example-.com/pci", "-a.com/pci", "a.com./pci", "A.com/pci"})
    void anAgentLabelPrefixMustBeADnsSubdomainAsInPins(String key) {
        String id = AgentTestSupport.agentId("label");
        helloRefused(TestAgent.hello(id).putLabels(key, "yes"), Status.Code.INVALID_ARGUMENT, "hello.labels");
    }

    static Stream<Arguments> unknownReplicas() {
        return Stream.of(
                Arguments.of(TestAgent.replica("no-such-app", "v1", "cart")),
                Arguments.of(TestAgent.replica(SHOP, "v404", "cart")),
                Arguments.of(TestAgent.replica(SHOP, "v1", "no-such-component")),
                Arguments.of(TestAgent.replica(SHOP, "v1", "cart", "ghost")));
    }

    @ParameterizedTest
    @MethodSource("unknownReplicas")
    void aHelloListingAReplicaOfSomethingUnregisteredIsNotFound(dev.weft.api.agent.v1.RunningReplica replica) {
        String id = AgentTestSupport.agentId("replica");
        helloRefused(
                TestAgent.hello(id).addRunningReplicas(replica), Status.Code.NOT_FOUND, "hello.running_replicas[0]");
    }

    @ParameterizedTest
    @MethodSource("unknownReplicas")
    void aHeartbeatListingAReplicaOfSomethingUnregisteredIsRefusedAndNotShown(
            dev.weft.api.agent.v1.RunningReplica replica) {
        String id = AgentTestSupport.agentId("heartbeat");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.hello(TestAgent.hello(id).addRunningReplicas(TestAgent.replica(SHOP, "v1", "cart")));
            assertThat(agent.next().hasWelcome()).isTrue();
            agent.heartbeat(Heartbeat.newBuilder().addRunningReplicas(replica));
            ControlMessage error = agent.next();
            assertThat(error.getError().getCode()).isEqualTo(Status.Code.NOT_FOUND.value());
            assertThat(error.getError().getMessage()).contains("heartbeat.running_replicas[0]");
            JsonNode shown = api.get("/api/v1/agents/" + id).json().get("replicas");
            assertThat(shown).hasSize(1);
            assertThat(shown.get(0).get("version").asString()).isEqualTo("v1");
            assertThat(shown.get(0).get("components").get(0).asString()).isEqualTo("cart");
        }
    }

    static Stream<Arguments> badReports() {
        List<Arguments> cases = new java.util.ArrayList<>();
        List<String> componentFigures =
                List.of("cpu_cores", "memory_mib", "requests_per_second", "errors_per_second", "in_flight");
        List<String> edgeFigures = List.of(
                "calls_per_second", "bytes_per_second", "latency_p50_ms", "latency_p99_ms", "errors_per_second");
        for (double value : new double[] {1.7e308, Double.MAX_VALUE, 1e20}) {
            for (String figure : componentFigures) {
                cases.add(Arguments.of("load_report.components[0]." + figure, (UnaryOperator<LoadReport.Builder>)
                        r -> r.setComponents(0, component(r.getComponents(0).toBuilder(), figure, value))));
            }
            for (String figure : edgeFigures) {
                cases.add(Arguments.of("load_report.edges[0]." + figure, (UnaryOperator<LoadReport.Builder>)
                        r -> r.setEdges(0, edge(r.getEdges(0).toBuilder(), figure, value))));
            }
        }
        cases.add(Arguments.of("load_report.interval", (UnaryOperator<LoadReport.Builder>)
                r -> r.setInterval(Duration.newBuilder().setSeconds(5).setNanos(-1))));
        cases.add(Arguments.of("load_report.interval", (UnaryOperator<LoadReport.Builder>)
                r -> r.setInterval(Duration.newBuilder().setSeconds(-1).setNanos(500))));
        cases.add(Arguments.of("load_report.interval", (UnaryOperator<LoadReport.Builder>)
                r -> r.setInterval(Duration.newBuilder().setSeconds(1).setNanos(1_000_000_000))));
        cases.add(Arguments.of("load_report.interval", (UnaryOperator<LoadReport.Builder>)
                r -> r.setInterval(Duration.newBuilder().setSeconds(Long.MAX_VALUE))));
        cases.add(Arguments.of("load_report.observed_at", (UnaryOperator<LoadReport.Builder>)
                r -> r.setObservedAt(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))));
        cases.add(Arguments.of("load_report.observed_at", (UnaryOperator<LoadReport.Builder>)
                r -> r.setObservedAt(Timestamp.newBuilder().setSeconds(1).setNanos(-5))));
        cases.add(Arguments.of("load_report.components[1]", (UnaryOperator<LoadReport.Builder>)
                r -> r.addComponents(r.getComponents(0))));
        cases.add(Arguments.of(
                "load_report.edges[1]", (UnaryOperator<LoadReport.Builder>) r -> r.addEdges(r.getEdges(0))));
        cases.add(Arguments.of("load_report.edges[0]", (UnaryOperator<LoadReport.Builder>)
                r -> r.setEdges(0, r.getEdges(0).toBuilder().setCallee("cart"))));
        return cases.stream();
    }

    private static ComponentLoad component(ComponentLoad.Builder c, String figure, double value) {
        return switch (figure) {
            case "cpu_cores" -> c.setCpuCores(value).build();
            case "memory_mib" -> c.setMemoryMib(value).build();
            case "requests_per_second" -> c.setRequestsPerSecond(value).build();
            case "errors_per_second" -> c.setErrorsPerSecond(value).build();
            default -> c.setInFlight(value).build();
        };
    }

    private static EdgeLoad edge(EdgeLoad.Builder e, String figure, double value) {
        return switch (figure) {
            case "calls_per_second" -> e.setCallsPerSecond(value).build();
            case "bytes_per_second" -> e.setBytesPerSecond(value).build();
            case "latency_p50_ms" -> e.setLatencyP50Ms(value).build();
            case "latency_p99_ms" -> e.setLatencyP99Ms(value).build();
            default -> e.setErrorsPerSecond(value).build();
        };
    }

    private double accepted() {
        return meters.counter("weft.load.reports.accepted").count();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReports")
    void aReportWithAnImplausibleOrMalformedFieldIsRefusedNamingItAndNothingIsCounted(
            String field, UnaryOperator<LoadReport.Builder> change) {
        String id = AgentTestSupport.agentId("report");
        try (TestAgent agent = new TestAgent(channel, id)) {
            agent.register();
            double before = accepted();
            agent.report(change.apply(TestAgent.shopReport(SHOP, 7)));
            ControlMessage answer = agent.next();
            assertThat(answer.hasError()).as(answer.toString()).isTrue();
            assertThat(answer.getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
            assertThat(answer.getError().getMessage()).contains(field);
            assertThat(answer.getError().getSequence()).isEqualTo(7);
            assertThat(accepted()).isEqualTo(before);
            assertThat(agent.isOpen()).isTrue();
        }
        assertLoadIsFinite();
    }

    @Test
    void aBootstrapTokenCannotTakeOverAnAgentThatHoldsALiveSession() throws Exception {
        String id = AgentTestSupport.agentId("takeover");
        try (TestAgent real = new TestAgent(channel, id);
                TestAgent intruder = new TestAgent(channel, id)) {
            String credential = real.register().getSessionCredential();
            intruder.hello(TestAgent.hello(id));
            Status refused = intruder.closedWith();
            assertThat(refused.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(refused.getDescription()).contains("live session", "session_credential");
            // the real agent is not disturbed
            real.report(TestAgent.shopReport(SHOP, 1));
            assertThat(real.next().hasReportAck()).isTrue();
            assertThat(real.isOpen()).isTrue();
            // once it has left, the token may register the id again
            dev.weft.api.agent.v1.AgentServiceGrpc.newBlockingStub(channel)
                    .leave(dev.weft.api.agent.v1.LeaveRequest.newBuilder()
                            .setAgentId(id)
                            .setSessionCredential(credential)
                            .build());
        }
        try (TestAgent again = new TestAgent(channel, id)) {
            assertThat(again.register().getResumed()).isTrue();
        }
    }

    /** Every figure of the load API is a JSON number and finite. */
    private void assertLoadIsFinite() {
        HttpApi.Response load = api.get("/api/v1/applications/" + SHOP + "/versions/v1/load?window=1h");
        assertThat(load.status()).isEqualTo(200);
        for (JsonNode list : List.of(load.json().get("components"), load.json().get("edges"))) {
            for (JsonNode item : list) {
                for (var field : item.properties()) {
                    if (!field.getValue().isString()) {
                        assertThat(field.getValue().isNumber()).as(load.body()).isTrue();
                        assertThat(Double.isFinite(field.getValue().asDouble()))
                                .as(load.body())
                                .isTrue();
                    }
                }
            }
        }
    }

    @Test
    void generatedHostileAgentMessagesAreAnsweredAndDisturbNoOtherAgent() {
        SplittableRandom random = new SplittableRandom(SEED);
        String bystanderId = AgentTestSupport.agentId("bystander");
        try (TestAgent bystander = new TestAgent(channel, bystanderId)) {
            bystander.register();
            for (int attempt = 0; attempt < TRIES; attempt++) {
                String where = "seed " + SEED + ", try " + attempt;
                String id = AgentTestSupport.agentId("fuzz");
                try (TestAgent agent = new TestAgent(channel, id)) {
                    Hello.Builder hello = mutateHello(TestAgent.hello(id), random);
                    agent.hello(hello);
                    ControlMessage first = agent.nextOrClosed();
                    if (first == null) {
                        Status status = agent.closedWith();
                        assertThat(status.getCode())
                                .as(where + " " + hello)
                                .isIn(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND, Status.Code.UNAUTHENTICATED);
                        assertThat(status.getDescription()).as(where).contains("hello");
                        assertThat(jdbc.sql("select count(*) from agents where id = ?")
                                        .param(id)
                                        .query(Long.class)
                                        .single())
                                .as(where + ": nothing stored of a refused hello")
                                .isZero();
                        continue;
                    }
                    if (!first.hasWelcome()) {
                        // an agent_id mutated away from id: the welcome is still what comes first
                        assertThat(first.hasWelcome()).as(where + " " + first).isTrue();
                    }
                    long sequence = random.nextLong(0, 5);
                    for (int m = 0; m < 8; m++) {
                        if (random.nextInt(3) == 0) {
                            // a heartbeat has no answer unless it is refused; its error, if any, is checked when
                            // it arrives, ahead of the next report's answer
                            agent.heartbeat(mutateHeartbeat(random));
                            continue;
                        }
                        double before = accepted();
                        agent.report(mutateReport(TestAgent.shopReport(SHOP, sequence), random));
                        sequence += random.nextInt(3) - 1; // replayed and reordered sequences too
                        ControlMessage answer = reportAnswer(agent, where);
                        if (answer.hasError()) {
                            assertThat(answer.getError().getCode())
                                    .as(where)
                                    .isIn(Status.Code.INVALID_ARGUMENT.value(), Status.Code.NOT_FOUND.value());
                            assertThat(answer.getError().getMessage()).as(where).contains("load_report");
                            assertThat(accepted())
                                    .as(where + ": nothing counted of a refused report")
                                    .isEqualTo(before);
                        }
                    }
                    // a last report answers after any heartbeat error still on its way
                    agent.report(TestAgent.shopReport(SHOP, sequence + 1));
                    reportAnswer(agent, where);
                    assertThat(agent.isOpen()).as(where).isTrue();
                }
            }
            bystander.report(TestAgent.shopReport(SHOP, 1));
            ControlMessage ack = nextAnswer(bystander);
            assertThat(ack).isNotNull();
            assertThat(ack.hasReportAck()).as(String.valueOf(ack)).isTrue();
            assertThat(bystander.isOpen()).isTrue();
        }
        assertLoadIsFinite();
    }

    /** The next ack or error, skipping slow-downs; null if none comes soon. */
    private static ControlMessage nextAnswer(TestAgent agent) {
        for (int i = 0; i < 3; i++) {
            ControlMessage message = agent.poll(5);
            if (message == null) {
                return null;
            }
            if (message.hasReportAck() || message.hasError()) {
                return message;
            }
        }
        return null;
    }

    /**
     * The answer to the report just sent: its ack or its error. Errors of heartbeats sent before it, and
     * slow-downs, are checked and passed over on the way.
     */
    private static ControlMessage reportAnswer(TestAgent agent, String where) {
        while (true) {
            ControlMessage message = agent.next();
            if (message.hasReportAck()) {
                return message;
            }
            if (message.hasError()) {
                if (message.getError().getMessage().startsWith("heartbeat.")) {
                    assertThat(message.getError().getCode())
                            .as(where)
                            .isIn(Status.Code.INVALID_ARGUMENT.value(), Status.Code.NOT_FOUND.value());
                    continue;
                }
                return message;
            }
        }
    }

    private static final double[] FIGURES = {
        0,
        -0.0,
        4.9e-324,
        1e-300,
        0.5,
        1,
        1e6,
        1e9,
        1e9 + 1,
        1e12,
        1e13,
        1.7e308,
        Double.MAX_VALUE,
        Double.POSITIVE_INFINITY,
        Double.NaN,
        -1,
        -1e308
    };
    private static final List<String> NAMES = List.of(
            "", "cart", "cart-store", "frontend", "v1", "v2", SHOP, "ghost", "\u0000", "x".repeat(300), "\uD83D\uDE80");

    private static Hello.Builder mutateHello(Hello.Builder hello, SplittableRandom random) {
        switch (random.nextInt(10)) {
            case 0 -> hello.setAdvertisedAddress(NAMES.get(random.nextInt(NAMES.size())));
            case 1 ->
                hello.setCapacity(Resources.newBuilder()
                        .setCpuMillicores(random.nextInt(-2, 3))
                        .setMemoryMib(random.nextInt(-2, 3)));
            case 2 ->
                hello.addRunningReplicas(TestAgent.replica(SHOP, NAMES.get(random.nextInt(NAMES.size())), "cart"));
            case 3 -> hello.putLabels(NAMES.get(random.nextInt(NAMES.size())), NAMES.get(random.nextInt(NAMES.size())));
            case 4 -> hello.setZone(NAMES.get(random.nextInt(NAMES.size())));
            case 5 -> hello.setAppliedGeneration(random.nextLong());
            case 6 -> hello.setBootstrapToken(NAMES.get(random.nextInt(NAMES.size())));
            case 7 -> hello.addRunningReplicas(TestAgent.replica(SHOP, "v1", NAMES.get(random.nextInt(NAMES.size()))));
            default -> {}
        }
        return hello;
    }

    private static LoadReport.Builder mutateReport(LoadReport.Builder report, SplittableRandom random) {
        double figure = FIGURES[random.nextInt(FIGURES.length)];
        String name = NAMES.get(random.nextInt(NAMES.size()));
        switch (random.nextInt(12)) {
            case 0 ->
                report.setComponents(0, report.getComponents(0).toBuilder().setCpuCores(figure));
            case 1 ->
                report.setComponents(0, report.getComponents(0).toBuilder().setMemoryMib(figure));
            case 2 -> report.setEdges(0, report.getEdges(0).toBuilder().setLatencyP50Ms(figure));
            case 3 -> report.setEdges(0, report.getEdges(0).toBuilder().setBytesPerSecond(figure));
            case 4 ->
                report.setComponents(0, report.getComponents(0).toBuilder().setComponent(name));
            case 5 ->
                report.setComponents(0, report.getComponents(0).toBuilder().setVersion(name));
            case 6 -> report.setEdges(0, report.getEdges(0).toBuilder().setCalleeVersion(name));
            case 7 ->
                report.setInterval(Duration.newBuilder()
                        .setSeconds(random.nextLong(-5, 4000))
                        .setNanos(random.nextInt(-1_000_000_001, 1_000_000_001)));
            case 8 ->
                report.setObservedAt(
                        Timestamp.newBuilder().setSeconds(random.nextLong()).setNanos(random.nextInt()));
            case 9 -> report.addComponents(report.getComponents(0));
            case 10 -> report.clearInterval();
            default -> report.setEdges(0, report.getEdges(0).toBuilder().setCaller(name));
        }
        return report;
    }

    private static Heartbeat.Builder mutateHeartbeat(SplittableRandom random) {
        Heartbeat.Builder heartbeat = Heartbeat.newBuilder()
                .setUsage(Resources.newBuilder()
                        .setCpuMillicores(random.nextInt(-1, 5000))
                        .setMemoryMib(64));
        if (random.nextBoolean()) {
            heartbeat.addRunningReplicas(TestAgent.replica(
                    random.nextBoolean() ? SHOP : NAMES.get(random.nextInt(NAMES.size())),
                    random.nextBoolean() ? "v1" : NAMES.get(random.nextInt(NAMES.size())),
                    random.nextBoolean() ? "cart" : NAMES.get(random.nextInt(NAMES.size()))));
        }
        if (random.nextInt(5) == 0) {
            heartbeat.setAppliedGeneration(random.nextLong());
        }
        return heartbeat;
    }
}
