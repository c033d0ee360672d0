package dev.weft.scheduler.rollouts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.api.agent.v1.Endpoint;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.Route;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.api.agent.v1.RunningReplica;
import dev.weft.api.agent.v1.TrafficSplit;
import dev.weft.api.agent.v1.Violation;
import dev.weft.api.agent.v1.ViolationReport;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopClock;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import io.grpc.ManagedChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import tools.jackson.databind.JsonNode;

/**
 * Rollouts of the online shop on real gRPC agents against the real database: the split changing step by step with
 * version-pure routing tables, gates reading both versions over the same interval, automatic rollback on errors and
 * on a violation, a step held for too little traffic, and every illegal request refused with a reason.
 */
@LoopIntegrationTest
class RolloutLoopTest {

    private static final AtomicLong SEQUENCE = new AtomicLong(1_000_000);

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    LoopClock clock;

    ManagedChannel channel;
    HttpApi api;
    List<LoopAgent> agents = new ArrayList<>();
    String app;

    @BeforeEach
    void connect() {
        channel = LoopSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (app != null) {
            JsonNode list = api.get("/api/v1/applications/" + app + "/rollouts").json();
            for (JsonNode r : list.get("items")) {
                api.post(
                        "/api/v1/applications/" + app + "/rollouts/"
                                + r.get("id").asLong() + "/abort",
                        "");
            }
            LoopSupport.undeploy(api, app, "v2");
            LoopSupport.undeploy(api, app, "v1");
        }
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    /** The shop's v1 deployed on eight agents with room for two versions, and v2 registered. */
    private void shopServingV1() {
        app = LoopSupport.shop(api, "v1");
        LoopSupport.register(api, app, LoopSupport.shopSpec().replace("\"version\": \"v1\"", "\"version\": \"v2\""));
        agents.addAll(LoopSupport.fleet(channel, "roll", 8, 4, 8000, 16384));
        assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(201);
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
        LoopAgent.await("v1 takes all traffic", () -> splitOnIngress().equals(Map.of("v1", 10_000)));
    }

    private HttpApi.Response start(String body) {
        return api.post("/api/v1/applications/" + app + "/rollouts", body);
    }

    private JsonNode rollout(long id) {
        HttpApi.Response r = api.get("/api/v1/applications/" + app + "/rollouts/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private JsonNode awaitRollout(long id, String state, int step) {
        LoopAgent.await(() -> "rollout " + id + " in " + state + " step " + step + ", is " + rollout(id), () -> {
            JsonNode r = rollout(id);
            return r.get("state").asString().equals(state) && r.get("step").asInt() == step;
        });
        return rollout(id);
    }

    private HttpApi.Response act(long id, String action) {
        return api.post("/api/v1/applications/" + app + "/rollouts/" + id + "/" + action, "");
    }

    /** The split every agent hosting an ingress replica of the application received last, as version → bp. */
    private Map<String, Integer> splitOnIngress() {
        Map<String, Integer> seen = null;
        for (LoopAgent agent : agents) {
            boolean ingress = agent.running().stream()
                    .anyMatch(r -> r.getApplication().equals(app)
                            && r.getComponentsList().contains("frontend"));
            if (!ingress) {
                continue;
            }
            TrafficSplit split = agent.trafficSplit(app);
            Map<String, Integer> weights = new HashMap<>();
            if (split != null) {
                split.getWeightsList().forEach(w -> weights.put(w.getVersion(), w.getWeightBp()));
            }
            if (seen != null && !seen.equals(weights)) {
                return Map.of("ingress agents disagree", -1);
            }
            seen = weights;
        }
        return seen == null ? Map.of() : seen;
    }

    /** Moves the clock, every agent heartbeating at the new time. */
    private void advance(java.time.Duration by) {
        LoopSupport.advance(clock, api, agents, by);
    }

    /**
     * Every agent running replicas of the version reports load for their components over the last 10 s, observed
     * now: {@code rps} requests per second per component, {@code errorRate} of them failing, {@code inFlight} each.
     */
    private void report(String version, double rps, double errorRate, double inFlight) {
        for (LoopAgent agent : agents) {
            Set<String> components = new TreeSet<>();
            for (RunningReplica r : agent.running()) {
                if (r.getApplication().equals(app) && r.getVersion().equals(version)) {
                    components.addAll(r.getComponentsList());
                }
            }
            if (components.isEmpty()) {
                continue;
            }
            LoadReport.Builder report = LoadReport.newBuilder()
                    .setSequence(SEQUENCE.incrementAndGet())
                    .setObservedAt(timestamp(clock.instant()))
                    .setInterval(Duration.newBuilder().setSeconds(10));
            for (String component : components) {
                report.addComponents(ComponentLoad.newBuilder()
                        .setApplication(app)
                        .setVersion(version)
                        .setComponent(component)
                        .setCpuCores(0.1)
                        .setMemoryMib(128)
                        .setRequestsPerSecond(rps)
                        .setErrorsPerSecond(rps * errorRate)
                        .setInFlight(inFlight));
            }
            long sequence = report.getSequence();
            agent.send(AgentMessage.newBuilder().setLoadReport(report).build());
            LoopAgent.await(
                    agent.id + " had report " + sequence + " accepted",
                    () -> agent.received().stream()
                            .anyMatch(m -> m.hasReportAck() && m.getReportAck().getSequence() == sequence));
        }
    }

    private static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder()
                .setSeconds(at.getEpochSecond())
                .setNanos(at.getNano())
                .build();
    }

    /** Both versions serve their share for a step's hold, the reports falling inside the step. */
    private void serveBothFor(java.time.Duration hold, double newErrorRate) {
        advance(java.time.Duration.ofSeconds(15));
        report("v1", 100, 0, 1);
        report("v2", 100, newErrorRate, 1);
        advance(hold);
        report("v1", 100, 0, 1);
        report("v2", 100, newErrorRate, 1);
    }

    /** No agent ever received a routing table that names an endpoint of another version. */
    private void assertEveryRoutingTableWasVersionPure() {
        Map<String, String> versionOfAssignment = new HashMap<>();
        for (LoopAgent agent : agents) {
            for (ControlMessage m : agent.received()) {
                if (m.hasAssignments()) {
                    for (Assignment a : m.getAssignments().getAssignmentsList()) {
                        versionOfAssignment.put(a.getAssignmentId(), a.getVersion());
                    }
                }
            }
        }
        int tables = 0;
        for (LoopAgent agent : agents) {
            for (ControlMessage m : agent.received()) {
                if (!m.hasRoutingTable()
                        || !m.getRoutingTable().getApplication().equals(app)) {
                    continue;
                }
                RoutingTable table = m.getRoutingTable();
                tables++;
                for (Route route : table.getRoutesList()) {
                    for (Endpoint e : route.getEndpointsList()) {
                        assertThat(versionOfAssignment.get(e.getAssignmentId()))
                                .as(agent.id + "'s table of " + table.getVersion() + " names " + e.getAssignmentId())
                                .isEqualTo(table.getVersion());
                    }
                }
            }
        }
        assertThat(tables).as("routing tables received").isPositive();
    }

    private void assertNoViolations() {
        JsonNode violations =
                api.get("/api/v1/applications/" + app + "/violations").json();
        assertThat(violations.get("totalCalls").asLong())
                .as(violations.toString())
                .isZero();
        assertThat(violations.get("items")).isEmpty();
    }

    @Test
    void aFullRolloutMovesTheSplitStepByStepWithVersionPureTablesAndReleasesTheOldVersion() {
        shopServingV1();
        HttpApi.Response started = start("""
                {"version": "v2", "policy": {"steps": [{"weight": 10, "hold": "1m"}, {"weight": 50, "hold": "1m"},
                 {"weight": 100}], "gates": [{"metric": "errorRate", "max": 0.05}], "minRequests": 100,
                 "progressDeadline": "30m", "drainTimeout": "5m"}}""");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        long id = started.json().get("id").asLong();
        assertThat(started.location()).isEqualTo("/api/v1/applications/" + app + "/rollouts/" + id);
        assertThat(started.json().get("createdBy").asString())
                .isEqualTo("admin"); // the first admin's token, which HttpApi sends

        // placed in full beside v1 before any traffic, then 10 %
        JsonNode ramping = awaitRollout(id, "RAMPING", 0);
        assertThat(LoopSupport.deployment(api, app, "v2").get("state").asString())
                .isEqualTo("PLACED");
        LoopAgent.await("10 % on the ingress agents", () -> splitOnIngress().equals(Map.of("v2", 1000, "v1", 9000)));
        assertThat(ramping.get("weights").get(0).get("version").asString()).isEqualTo("v2");
        assertThat(ramping.get("weights").get(0).get("weight").asDouble()).isEqualTo(10.0);
        assertThat(ramping.get("holdLeft").asString()).isEqualTo("1m");

        serveBothFor(java.time.Duration.ofSeconds(50), 0);
        JsonNode second = awaitRollout(id, "RAMPING", 1);
        LoopAgent.await("50 % on the ingress agents", () -> splitOnIngress().equals(Map.of("v2", 5000, "v1", 5000)));
        JsonNode first = second.get("steps").get(0);
        assertThat(first.get("outcome").asString()).isEqualTo("PASSED");
        JsonNode gate = first.get("gates").get(0);
        assertThat(gate.get("metric").asString()).isEqualTo("errorRate");
        assertThat(gate.get("verdict").asString()).isEqualTo("PASS");
        assertThat(gate.get("newRequests").asLong()).isGreaterThanOrEqualTo(100);
        assertThat(gate.get("oldRequests").asLong()).isGreaterThanOrEqualTo(100);
        assertThat(gate.get("newValue").asDouble()).isZero();
        assertThat(gate.get("oldValue").asDouble()).isZero();

        serveBothFor(java.time.Duration.ofSeconds(50), 0);
        JsonNode promoted = awaitRollout(id, "PROMOTED", 2);
        LoopAgent.await("100 % on the ingress agents", () -> splitOnIngress().equals(Map.of("v2", 10_000, "v1", 0)));
        assertThat(promoted.get("rollbackOpenUntil").isNull()).isFalse();
        assertThat(LoopSupport.deployment(api, app, "v1").get("state").asString())
                .as("v1 stays placed for the rollback window")
                .isEqualTo("PLACED");

        // the window closes; v1 drains (no request in flight) and is released
        advance(java.time.Duration.ofMinutes(11));
        LoopAgent.await(
                "v1 drains", () -> "v1".equals(rollout(id).get("draining").asString()));
        advance(java.time.Duration.ofSeconds(15));
        report("v1", 0, 0, 0);
        advance(java.time.Duration.ofSeconds(1));
        JsonNode done = awaitRollout(id, "DONE", 2);
        assertThat(done.get("finishedAt").isNull()).isFalse();
        LoopSupport.awaitDeployment(api, app, "v1", "RELEASED");
        LoopAgent.await("only v2 on the ingress agents", () -> splitOnIngress().equals(Map.of("v2", 10_000)));

        assertEveryRoutingTableWasVersionPure();
        assertNoViolations();
        List<String> kinds = new ArrayList<>();
        api.get("/api/v1/events?application=" + app + "&size=200")
                .json()
                .get("items")
                .forEach(e -> kinds.add(e.get("kind").asString()));
        assertThat(kinds)
                .contains(
                        "ROLLOUT_STARTED",
                        "ROLLOUT_PLACING",
                        "ROLLOUT_STEP_STARTED",
                        "ROLLOUT_STEP_PASSED",
                        "ROLLOUT_PROMOTED",
                        "ROLLOUT_DRAINING",
                        "ROLLOUT_DONE");
        JsonNode history = api.get("/api/v1/applications/" + app + "/rollouts").json();
        assertThat(history.get("total").asLong()).isEqualTo(1);
        assertThat(history.get("items").get(0).get("id").asLong()).isEqualTo(id);
    }

    @Test
    void tooLittleTrafficHoldsTheStepAndErrorsOnTheNewVersionRollItBack() {
        shopServingV1();
        HttpApi.Response started = start("""
                {"version": "v2", "policy": {"steps": [{"weight": 10, "hold": "1m"}, {"weight": 100}],
                 "gates": [{"metric": "errorRate", "max": 0.01}], "minRequests": 500}}""");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        long id = started.json().get("id").asLong();
        awaitRollout(id, "RAMPING", 0);

        // far fewer requests on v2 than minRequests: the hold passes, the step does not
        advance(java.time.Duration.ofSeconds(15));
        report("v1", 100, 0, 1);
        report("v2", 1, 0, 1);
        advance(java.time.Duration.ofSeconds(50));
        LoopAgent.await(
                "the gate reads too little data",
                // path, not get: until the step has its first readings there are no gates to read
                () -> "INSUFFICIENT_DATA"
                        .equals(rollout(id)
                                .path("steps")
                                .path(0)
                                .path("gates")
                                .path(0)
                                .path("verdict")
                                .asString("")));
        JsonNode held = rollout(id);
        assertThat(held.get("state").asString()).isEqualTo("RAMPING");
        assertThat(held.get("step").asInt()).isZero();
        assertThat(held.get("waiting").asString()).isNotBlank();

        // now v2 fails a fifth of its requests: rolled back, traffic to v1 at once
        report("v1", 100, 0, 1);
        report("v2", 100, 0.2, 1);
        LoopAgent.await("v1 takes all traffic again", () -> {
            Map<String, Integer> split = splitOnIngress();
            return split.getOrDefault("v1", 0) == 10_000 && split.getOrDefault("v2", 0) == 0;
        });
        JsonNode aborting = rollout(id);
        assertThat(aborting.get("state").asString()).isIn("ABORTING", "ROLLED_BACK");
        assertThat(aborting.get("abortCause").asString()).isEqualTo("GATE_FAILED");
        JsonNode gate = aborting.get("steps").get(0).get("gates").get(0);
        assertThat(gate.get("verdict").asString()).isEqualTo("FAIL");
        assertThat(gate.get("newValue").asDouble()).isGreaterThan(0.01);
        assertThat(gate.get("oldValue").asDouble()).isZero();
        assertThat(aborting.get("steps").get(0).get("outcome").asString()).isEqualTo("FAILED");

        advance(java.time.Duration.ofSeconds(15));
        report("v2", 0, 0, 0);
        advance(java.time.Duration.ofSeconds(1));
        awaitRollout(id, "ROLLED_BACK", 0);
        LoopSupport.awaitDeployment(api, app, "v2", "RELEASED");
        LoopAgent.await("only v1 on the ingress agents", () -> splitOnIngress().equals(Map.of("v1", 10_000)));
        assertThat(LoopSupport.deployment(api, app, "v1").get("state").asString())
                .isEqualTo("PLACED");
        assertEveryRoutingTableWasVersionPure();
        assertNoViolations();
    }

    @Test
    void aReportedViolationRollsBackAndACrossVersionLoadEdgeCountsAsOne() {
        shopServingV1();
        long id = start("{\"version\": \"v2\", \"policy\": \"canary\"}")
                .json()
                .get("id")
                .asLong();
        awaitRollout(id, "RAMPING", 0);
        LoopAgent reporter = agents.get(0);
        reporter.send(AgentMessage.newBuilder()
                .setViolationReport(ViolationReport.newBuilder()
                        .setSequence(SEQUENCE.incrementAndGet())
                        .addViolations(Violation.newBuilder()
                                .setApplication(app)
                                .setCallerVersion("v2")
                                .setCaller("frontend")
                                .setCalleeVersion("v1")
                                .setCallee("cart")
                                .setCount(3)))
                .build());
        LoopAgent.await(
                "rolled back for the violation",
                () -> "VERSION_VIOLATION".equals(rollout(id).get("abortCause").asString()));
        LoopAgent.await("v1 takes all traffic again", () -> splitOnIngress().getOrDefault("v1", 0) == 10_000);

        // a load report listing an edge from v2 into v1 is refused, and counted as evidence of such calls
        long sequence = SEQUENCE.incrementAndGet();
        reporter.send(AgentMessage.newBuilder()
                .setLoadReport(LoadReport.newBuilder()
                        .setSequence(sequence)
                        .setObservedAt(timestamp(clock.instant()))
                        .setInterval(Duration.newBuilder().setSeconds(10))
                        .addEdges(EdgeLoad.newBuilder()
                                .setApplication(app)
                                .setCallerVersion("v2")
                                .setCaller("frontend")
                                .setCalleeVersion("v1")
                                .setCallee("currency")
                                .setCallsPerSecond(2)))
                .build());
        LoopAgent.await(
                "the report is refused",
                () -> reporter.received().stream()
                        .anyMatch(m -> m.hasError() && m.getError().getSequence() == sequence));
        LoopAgent.await(
                "both kinds are counted",
                () -> api.get("/api/v1/applications/" + app + "/violations")
                                .json()
                                .get("totalCalls")
                                .asLong()
                        == 23);
        JsonNode violations =
                api.get("/api/v1/applications/" + app + "/violations").json();
        List<String> sources = new ArrayList<>();
        violations
                .get("items")
                .forEach(v -> sources.add(v.get("source").asString()
                        + " " + v.get("caller").asString() + "@"
                        + v.get("callerVersion").asString() + "->"
                        + v.get("callee").asString() + "@"
                        + v.get("calleeVersion").asString() + " "
                        + v.get("calls").asLong()));
        assertThat(sources)
                .containsExactlyInAnyOrder(
                        "AGENT_REFUSED frontend@v2->cart@v1 3", "LOAD_EDGE frontend@v2->currency@v1 20");
    }

    @Test
    void promoteSkipsTheStepsAndARollbackWithinTheWindowIsATrafficSwitchNotAReplacement() {
        shopServingV1();
        JsonNode v1Plan = LoopSupport.plan(api, app, "v1");
        long id = start("{\"version\": \"v2\", \"policy\": \"canary\"}")
                .json()
                .get("id")
                .asLong();
        awaitRollout(id, "RAMPING", 0);
        JsonNode promoted = act(id, "promote").json();
        assertThat(promoted.get("state").asString()).isEqualTo("PROMOTED");
        assertThat(promoted.get("steps").get(0).get("outcome").asString()).isEqualTo("SKIPPED");
        assertThat(promoted.get("createdBy").asString())
                .isEqualTo("admin"); // the first admin's token, which HttpApi sends
        LoopAgent.await("100 % on v2", () -> splitOnIngress().equals(Map.of("v2", 10_000, "v1", 0)));
        assertThat(act(id, "abort").json().get("code").asString()).isEqualTo("ALREADY_PROMOTED");

        advance(java.time.Duration.ofMinutes(5));
        JsonNode back = act(id, "rollback").json();
        assertThat(back.get("state").asString()).as(back.toString()).isIn("ABORTING", "ROLLED_BACK");
        assertThat(back.get("abortCause").asString()).isEqualTo("OPERATOR_ROLLBACK");
        LoopAgent.await("v1 takes all traffic at once", () -> {
            Map<String, Integer> split = splitOnIngress();
            return split.getOrDefault("v1", 0) == 10_000 && split.getOrDefault("v2", 0) == 0;
        });
        JsonNode v1After = LoopSupport.plan(api, app, "v1");
        assertThat(v1After.get("generation").asLong())
                .as("v1 was not planned again")
                .isEqualTo(v1Plan.get("generation").asLong());
        assertThat(LoopSupport.agentsByGroup(v1After)).isEqualTo(LoopSupport.agentsByGroup(v1Plan));
        assertThat(LoopSupport.deployment(api, app, "v1").get("state").asString())
                .isEqualTo("PLACED");
        advance(java.time.Duration.ofSeconds(15));
        report("v2", 0, 0, 0);
        advance(java.time.Duration.ofSeconds(1));
        awaitRollout(id, "ROLLED_BACK", 3);
        LoopSupport.awaitDeployment(api, app, "v2", "RELEASED");
        assertNoViolations();
    }

    @Test
    void aRollbackAfterTheWindowClosedIsRefused() {
        shopServingV1();
        long id = start("{\"version\": \"v2\", \"policy\": \"immediate\"}")
                .json()
                .get("id")
                .asLong();
        awaitRollout(id, "PROMOTED", 0);
        advance(java.time.Duration.ofMinutes(11));
        LoopAgent.await(
                "v1 drains", () -> "v1".equals(rollout(id).get("draining").asString()));
        HttpApi.Response late = act(id, "rollback");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().get("code").asString()).isEqualTo("ROLLBACK_WINDOW_CLOSED");
        advance(java.time.Duration.ofSeconds(15));
        report("v1", 0, 0, 0);
        advance(java.time.Duration.ofSeconds(1));
        awaitRollout(id, "DONE", 0);
        LoopSupport.awaitDeployment(api, app, "v1", "RELEASED");
        assertNoViolations();
    }

    @Test
    void badAndIllegalRequestsAreRefusedWithAClearReasonAndChangeNothing() {
        shopServingV1();
        // a policy's problems, each at its path
        HttpApi.Response bad = start("""
                {"version": "v2", "policy": {"steps": [{"weight": 150, "hold": "1m"}, {"weight": 100}]}}""");
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("policy.steps[0].weight").contains("INVALID_WEIGHT");
        HttpApi.Response unknownField = start("{\"version\": \"v2\", \"policy\": {\"stepz\": []}}");
        assertThat(unknownField.status()).as(unknownField.body()).isEqualTo(400);
        assertThat(unknownField.body()).contains("stepz");
        HttpApi.Response unknownPreset = start("{\"version\": \"v2\", \"policy\": \"canery\"}");
        assertThat(unknownPreset.status()).isEqualTo(400);
        assertThat(unknownPreset.body()).contains("UNKNOWN_POLICY").contains("canery");
        HttpApi.Response wrongType = start("{\"version\": \"v2\", \"policy\": 7}");
        assertThat(wrongType.status()).as(wrongType.body()).isEqualTo(400);
        assertThat(start("{\"version\": \"v9\"}").status()).isEqualTo(404);
        assertThat(start("{\"version\": \"v1\"}").json().get("code").asString()).isEqualTo("SAME_VERSION");
        assertThat(api.get("/api/v1/applications/" + app + "/rollouts")
                        .json()
                        .get("total")
                        .asLong())
                .isZero();

        long id = start("{\"version\": \"v2\", \"policy\": \"canary\"}")
                .json()
                .get("id")
                .asLong();
        HttpApi.Response second = start("{\"version\": \"v2\", \"policy\": \"immediate\"}");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("code").asString()).isEqualTo("ROLLOUT_IN_PROGRESS");
        awaitRollout(id, "RAMPING", 0);

        assertThat(act(id, "resume").json().get("code").asString()).isEqualTo("NOT_PAUSED");
        assertThat(act(id, "rollback").json().get("code").asString()).isEqualTo("NOT_PROMOTED");
        HttpApi.Response undeploy = api.delete("/api/v1/applications/" + app + "/deployments/v1");
        assertThat(undeploy.status()).isEqualTo(409);
        assertThat(undeploy.json().get("code").asString()).isEqualTo("ROLLOUT_IN_PROGRESS");
        assertThat(undeploy.json().get("detail").asString()).contains("/rollouts/" + id + "/abort");
        assertThat(api.delete("/api/v1/applications/" + app + "/deployments/v2").status())
                .isEqualTo(409);

        assertThat(act(id, "pause").json().get("state").asString()).isEqualTo("PAUSED");
        assertThat(act(id, "pause").json().get("code").asString()).isEqualTo("ALREADY_PAUSED");
        JsonNode resumed = act(id, "resume").json();
        assertThat(resumed.get("state").asString()).isEqualTo("RAMPING");
        assertThat(act(id, "abort").json().get("state").asString()).isIn("ABORTING", "ROLLED_BACK");
        assertThat(act(id, "abort").json().get("code").asString()).isIn("ROLLOUT_ABORTING", "ROLLOUT_FINISHED");
        advance(java.time.Duration.ofSeconds(15));
        report("v2", 0, 0, 0);
        advance(java.time.Duration.ofSeconds(1));
        awaitRollout(id, "ROLLED_BACK", 0);
        HttpApi.Response promote = act(id, "promote");
        assertThat(promote.status()).isEqualTo(409);
        assertThat(promote.json().get("code").asString()).isEqualTo("ROLLOUT_FINISHED");
        assertThat(promote.json().get("detail").asString()).isNotBlank();
        assertThat(rollout(id).get("abortCause").asString()).isEqualTo("OPERATOR_ABORT");

        assertThat(api.get("/api/v1/applications/" + app + "/rollouts/abc")
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("ROLLOUT_NOT_FOUND");
        assertThat(api.get("/api/v1/applications/" + app + "/rollouts/99999999").status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/applications/nope/rollouts").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/applications/nope/violations").status()).isEqualTo(404);
    }
}
