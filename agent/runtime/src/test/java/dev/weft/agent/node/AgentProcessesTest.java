package dev.weft.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentAck;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.api.agent.v1.Endpoint;
import dev.weft.api.agent.v1.Hello;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.ReplicaState;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.Route;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.api.agent.v1.RunningReplica;
import dev.weft.api.agent.v1.SlowDown;
import dev.weft.api.agent.v1.TrafficSplit;
import dev.weft.api.agent.v1.VersionWeight;
import dev.weft.api.runtime.v1.CallRequest;
import dev.weft.api.runtime.v1.ComponentServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a control plane that pushes the documented messages: replicas as real child JVMs, calls
 * through the agent's forwarder over real sockets, the HTTP ingress, load reports, crashes, drains and Leave.
 */
class AgentProcessesTest {

    private static final String ARTIFACT =
            "classpath:" + System.getProperty("java.class.path") + "#dev.weft.agent.testapp.TestApp";

    @TempDir
    Path logs;

    private final HttpClient http = HttpClient.newHttpClient();

    private AgentConfig config(TestControlPlane cp) {
        AgentConfig d = AgentConfig.defaults("agent-1", cp.target(), "boot-token");
        return new AgentConfig(
                d.agentId(),
                d.controlPlane(),
                d.bootstrapToken(),
                0,
                "",
                "zone-a",
                Map.of("pci", "true"),
                2000,
                4096,
                Map.of("testapp", 0),
                d.clientKeyHeader(),
                d.clientKeyCookie(),
                AgentConfig.ReplicaMode.PROCESS,
                d.jvmOptions(),
                logs,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                Duration.ofMillis(300),
                Duration.ofSeconds(2),
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                42);
    }

    private static Assignment assignment(String id, String artifact, String... components) {
        return Assignment.newBuilder()
                .setAssignmentId(id)
                .setApplication("testapp")
                .setVersion("v1")
                .addAllComponents(List.of(components))
                .setArtifact(artifact)
                .setResources(Resources.newBuilder().setCpuMillicores(500).setMemoryMib(256))
                .build();
    }

    private static ControlMessage assignments(long generation, Assignment... assignments) {
        return ControlMessage.newBuilder()
                .setAssignments(
                        AssignmentSet.newBuilder().setGeneration(generation).addAllAssignments(List.of(assignments)))
                .build();
    }

    private static ControlMessage routing(long generation, String address, Map<String, List<String>> routes) {
        RoutingTable.Builder table = RoutingTable.newBuilder()
                .setApplication("testapp")
                .setVersion("v1")
                .setGeneration(generation);
        routes.forEach((component, ids) -> {
            Route.Builder route = Route.newBuilder().setComponent(component);
            ids.forEach(id ->
                    route.addEndpoints(Endpoint.newBuilder().setAddress(address).setAssignmentId(id)));
            table.addRoutes(route);
        });
        return ControlMessage.newBuilder().setRoutingTable(table).build();
    }

    private static Predicate<AgentMessage> heartbeatWith(Predicate<List<RunningReplica>> replicas) {
        return m -> m.hasHeartbeat() && replicas.test(m.getHeartbeat().getRunningReplicasList());
    }

    private static boolean states(List<RunningReplica> replicas, Map<String, ReplicaState> expected) {
        if (replicas.size() != expected.size()) {
            return false;
        }
        return replicas.stream().allMatch(r -> expected.get(r.getAssignmentId()) == r.getState());
    }

    private HttpResponse<String> get(int port, String pathAndQuery, String client) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                        .header("X-Weft-Client", client)
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsItsAssignmentsAsProcessesServesIngressReportsLoadRestartsDrainsAndLeaves() throws Exception {
        try (TestControlPlane cp = new TestControlPlane()) {
            Agent agent = Agent.start(config(cp), Clock.systemUTC(), e -> {});
            try {
                Hello hello = cp.await(AgentMessage::hasHello, 10).getHello();
                assertThat(hello.getBootstrapToken()).isEqualTo("boot-token");
                assertThat(hello.getAdvertisedAddress()).isEqualTo("127.0.0.1:" + agent.port());
                assertThat(hello.getCapacity().getCpuMillicores()).isEqualTo(2000);
                assertThat(hello.getRuntimesList()).containsExactly("jvm");
                assertThat(hello.getLabelsMap()).containsEntry("pci", "true");
                String address = hello.getAdvertisedAddress();
                int ingress = agent.ingressPort("testapp");

                // 1. assignments: three replicas, each its own JVM, acked once all said hello
                cp.push(assignments(
                        1,
                        assignment("a1", ARTIFACT, "front"),
                        assignment("b1", ARTIFACT, "store"),
                        assignment("b2", ARTIFACT, "store")));
                AssignmentAck ack = cp.await(AgentMessage::hasAssignmentAck, 60).getAssignmentAck();
                assertThat(ack.getGeneration()).isEqualTo(1);
                assertThat(ack.getApplied()).as(ack.getMessage()).isTrue();
                assertThat(ack.getFailedAssignmentIdsList()).isEmpty();
                cp.await(
                        heartbeatWith(r -> states(
                                r,
                                Map.of(
                                        "a1",
                                        ReplicaState.REPLICA_STATE_RUNNING,
                                        "b1",
                                        ReplicaState.REPLICA_STATE_RUNNING,
                                        "b2",
                                        ReplicaState.REPLICA_STATE_RUNNING))),
                        10);
                long pidA = agent.replicaPid("a1");
                long pidB1 = agent.replicaPid("b1");
                assertThat(pidA).isNotEqualTo(ProcessHandle.current().pid()).isNotEqualTo(pidB1);

                // 2. no traffic split yet: the ingress says so
                HttpResponse<String> early = get(ingress, "/?key=apple", "alice");
                assertThat(early.statusCode()).isEqualTo(503);
                assertThat(early.body()).contains("no traffic split for application 'testapp'");

                // 3. routing table and split: a request enters v1 and front calls store in another process
                cp.push(routing(1, address, Map.of("front", List.of("a1"), "store", List.of("b1", "b2"))));
                cp.push(ControlMessage.newBuilder()
                        .setTrafficSplit(TrafficSplit.newBuilder()
                                .setApplication("testapp")
                                .setGeneration(1)
                                .addWeights(VersionWeight.newBuilder()
                                        .setVersion("v1")
                                        .setWeightBp(10_000)))
                        .build());
                HttpResponse<String> ok = awaitOk(ingress, "/?key=apple");
                assertThat(ok.body()).startsWith("apple has tags [fruit, red] served by pid-");
                assertThat(ok.body()).doesNotContain("pid-" + pidA);
                assertThat(ok.headers().firstValue("x-weft-version")).contains("v1");
                assertThat(ok.headers().firstValue("x-request-id")).isPresent();
                for (int i = 0; i < 20; i++) {
                    assertThat(get(ingress, "/?key=apple", "client-" + i).statusCode())
                            .isEqualTo(200);
                }
                assertThat(get(ingress, "/?key=nothing", "bob").statusCode()).isEqualTo(404);

                // 4. load report: components and the front->store edge, rates finite and >= 0, same versions. The
                // caller's and the callee's replicas report on their own clocks, so a short burst can put the edge in
                // one report and the callee's calls in the next: requests keep coming until one report has both.
                java.util.concurrent.atomic.AtomicBoolean traffic = new java.util.concurrent.atomic.AtomicBoolean(true);
                Thread sender = Thread.ofVirtual().start(() -> {
                    while (traffic.get()) {
                        try {
                            get(ingress, "/?key=apple", "steady");
                            // paces real requests to replicas in other JVMs, which measure on the real clock
                            Thread.sleep(50);
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                LoadReport report;
                try {
                    report = cp.await(
                                    m -> m.hasLoadReport()
                                            && edge(m.getLoadReport(), "front", "store") != null
                                            && component(m.getLoadReport(), "store")
                                                            .getRequestsPerSecond()
                                                    > 0,
                                    15)
                            .getLoadReport();
                } finally {
                    traffic.set(false);
                    sender.join();
                }
                EdgeLoad edge = edge(report, "front", "store");
                assertThat(edge.getCallerVersion()).isEqualTo("v1").isEqualTo(edge.getCalleeVersion());
                assertThat(edge.getCallsPerSecond()).isPositive();
                assertThat(edge.getBytesPerSecond()).isPositive();
                assertThat(edge.getLatencyP99Ms())
                        .isGreaterThanOrEqualTo(edge.getLatencyP50Ms())
                        .isPositive();
                assertThat(edge.getErrorsPerSecond()).isGreaterThanOrEqualTo(0);
                ComponentLoad front = component(report, "front");
                assertThat(front.getMemoryMib()).isPositive();
                assertThat(front.getCpuCores()).isGreaterThanOrEqualTo(0).isFinite();
                assertThat(report.getInterval().getSeconds() * 1e9
                                + report.getInterval().getNanos())
                        .isPositive();
                LoadReport next = cp.await(AgentMessage::hasLoadReport, 10).getLoadReport();
                assertThat(next.getSequence()).isEqualTo(report.getSequence() + 1);

                // 5. a call of another version reaching this agent is refused and reported
                ManagedChannel channel =
                        NettyChannelBuilder.forTarget(address).usePlaintext().build();
                try {
                    assertThatThrownBy(() -> ComponentServiceGrpc.newBlockingStub(channel)
                                    .invoke(CallRequest.newBuilder()
                                            .setApplication("testapp")
                                            .setVersion("v2")
                                            .setComponent("store")
                                            .setCaller("front")
                                            .setAssignmentId("b1")
                                            .setMethod("whoAmI()")
                                            .build()))
                            .isInstanceOfSatisfying(
                                    StatusRuntimeException.class,
                                    e -> assertThat(e.getStatus().getCode())
                                            .isEqualTo(Status.Code.FAILED_PRECONDITION));
                } finally {
                    channel.shutdownNow();
                }
                var violation = cp.await(AgentMessage::hasViolationReport, 10).getViolationReport();
                assertThat(violation.getViolationsList()).singleElement().satisfies(v -> {
                    assertThat(v.getCallerVersion()).isEqualTo("v2");
                    assertThat(v.getCalleeVersion()).isEqualTo("v1");
                    assertThat(v.getCallee()).isEqualTo("store");
                    assertThat(v.getCount()).isEqualTo(1);
                });

                // 6. SlowDown: reports come at the new interval
                cp.push(ControlMessage.newBuilder()
                        .setSlowDown(SlowDown.newBuilder()
                                .setReportInterval(com.google.protobuf.Duration.newBuilder()
                                        .setSeconds(1))
                                .setReason("test"))
                        .build());
                cp.await(AgentMessage::hasLoadReport, 10);
                LoadReport slowed = cp.await(AgentMessage::hasLoadReport, 10).getLoadReport();
                assertThat(slowed.getInterval().getSeconds() * 1000
                                + slowed.getInterval().getNanos() / 1_000_000)
                        .isGreaterThanOrEqualTo(900);

                // 7. a crashed replica is reported FAILED and restarted with backoff
                ProcessHandle.of(pidB1).orElseThrow().destroyForcibly();
                cp.await(
                        heartbeatWith(r -> r.stream()
                                .anyMatch(x -> x.getAssignmentId().equals("b1")
                                        && x.getState() == ReplicaState.REPLICA_STATE_FAILED)),
                        10);
                cp.await(
                        heartbeatWith(r -> states(
                                r,
                                Map.of(
                                        "a1",
                                        ReplicaState.REPLICA_STATE_RUNNING,
                                        "b1",
                                        ReplicaState.REPLICA_STATE_RUNNING,
                                        "b2",
                                        ReplicaState.REPLICA_STATE_RUNNING))),
                        30);
                assertThat(agent.replicaPid("b1")).isNotEqualTo(pidB1);

                // 8. drain: b1 and b2 go, b3 comes; a call in flight on them finishes first
                CompletableFuture<HttpResponse<String>> slow =
                        CompletableFuture.supplyAsync(() -> uncheckedGet(ingress, "/slow?key=2500"));
                awaitInFlight(agent);
                cp.push(assignments(0)); // an older generation: ignored
                cp.push(assignments(2, assignment("a1", ARTIFACT, "front"), assignment("b3", ARTIFACT, "store")));
                AssignmentAck second =
                        cp.await(AgentMessage::hasAssignmentAck, 60).getAssignmentAck();
                assertThat(second.getGeneration()).isEqualTo(2);
                assertThat(second.getApplied()).isTrue();
                HttpResponse<String> finished = slow.get(30, TimeUnit.SECONDS);
                assertThat(finished.statusCode()).isEqualTo(200);
                assertThat(finished.body()).isEqualTo("slept 2500\n");
                cp.await(
                        heartbeatWith(r -> states(
                                r,
                                Map.of(
                                        "a1",
                                        ReplicaState.REPLICA_STATE_RUNNING,
                                        "b3",
                                        ReplicaState.REPLICA_STATE_RUNNING))),
                        30);
                assertThat(ProcessHandle.of(pidA)).isPresent();
                cp.push(routing(2, address, Map.of("front", List.of("a1"), "store", List.of("b3"))));
                assertThat(awaitOk(ingress, "/?key=apple").body()).contains("served by pid-" + agent.replicaPid("b3"));
            } finally {
                agent.close();
            }
            // 9. Leave with the session credential; no replica process outlives the agent
            assertThat(cp.leaves).singleElement().satisfies(l -> {
                assertThat(l.getAgentId()).isEqualTo("agent-1");
                assertThat(l.getSessionCredential()).isEqualTo("session-1");
            });
            assertThat(agent.runningReplicas()).isEmpty();
        }
    }

    @Test
    void reconnectsWithItsSessionCredentialAndFallsBackToTheTokenWhenRefused() throws Exception {
        try (TestControlPlane cp = new TestControlPlane()) {
            Agent agent = Agent.start(config(cp), Clock.systemUTC(), e -> {});
            try {
                cp.await(AgentMessage::hasHello, 10);
                cp.await(AgentMessage::hasHeartbeat, 10);
                cp.end(Status.UNAVAILABLE.withDescription("node shutting down"));
                Hello again = cp.await(AgentMessage::hasHello, 10).getHello();
                assertThat(again.getSessionCredential()).isEqualTo("session-1");
                cp.await(AgentMessage::hasHeartbeat, 10);
                cp.end(Status.UNAUTHENTICATED.withDescription("unknown session"));
                Hello third = cp.await(AgentMessage::hasHello, 10).getHello();
                assertThat(third.getBootstrapToken()).isEqualTo("boot-token");
            } finally {
                agent.close();
            }
        }
    }

    @Test
    void assignmentsThatCannotRunAreAckedAsFailedNamingWhy() throws Exception {
        try (TestControlPlane cp = new TestControlPlane()) {
            Agent agent = Agent.start(config(cp), Clock.systemUTC(), e -> {});
            try {
                cp.await(AgentMessage::hasHello, 10);
                String missing = "file:" + logs.resolve("missing.jar");
                cp.push(assignments(
                        5,
                        assignment("x1", "oci://registry/shop:1", "front"),
                        assignment("x2", missing, "store"),
                        assignment("x3", "classpath:" + logs + File.pathSeparator + "#dev.weft.Nope", "store")));
                AssignmentAck ack = cp.await(AgentMessage::hasAssignmentAck, 60).getAssignmentAck();
                assertThat(ack.getGeneration()).isEqualTo(5);
                assertThat(ack.getApplied()).isFalse();
                assertThat(ack.getFailedAssignmentIdsList()).containsExactlyInAnyOrder("x1", "x2", "x3");
                assertThat(ack.getMessage())
                        .contains("x1: artifact 'oci://registry/shop:1' is not supported by this agent")
                        .contains("x2: artifact '" + missing + "': " + logs.resolve("missing.jar") + " does not exist")
                        .contains("x3: exited before it was ready");
            } finally {
                agent.close();
            }
        }
    }

    private void awaitInFlight(Agent agent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (agent.replicaInFlight("b1") + agent.replicaInFlight("b2") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the slow call never showed as in flight");
            }
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(20); // polling a condition that replicas report every second
        }
    }

    private HttpResponse<String> awaitOk(int port, String pathAndQuery) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> response = get(port, pathAndQuery, "alice");
            if (response.statusCode() == 200 || System.nanoTime() > deadline) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                return response;
            }
            TimeUnit.MILLISECONDS.sleep(20); // the routing table reaches replicas asynchronously
        }
    }

    private HttpResponse<String> uncheckedGet(int port, String pathAndQuery) {
        try {
            return get(port, pathAndQuery, "carol");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static EdgeLoad edge(LoadReport report, String caller, String callee) {
        return report.getEdgesList().stream()
                .filter(e -> e.getCaller().equals(caller) && e.getCallee().equals(callee))
                .findFirst()
                .orElse(null);
    }

    private static ComponentLoad component(LoadReport report, String name) {
        return report.getComponentsList().stream()
                .filter(c -> c.getComponent().equals(name))
                .findFirst()
                .orElse(ComponentLoad.getDefaultInstance());
    }
}
