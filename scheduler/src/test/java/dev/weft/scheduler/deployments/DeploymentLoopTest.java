package dev.weft.scheduler.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Endpoint;
import dev.weft.api.agent.v1.Route;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.api.agent.v1.TrafficSplit;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Deploying the online shop onto real agents: plan, pushes, full placement, traffic, undeploy. */
@LoopIntegrationTest
class DeploymentLoopTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    JdbcClient jdbc;

    ManagedChannel channel;
    HttpApi api;
    List<LoopAgent> agents = new ArrayList<>();
    List<String[]> deployed = new ArrayList<>();

    @BeforeEach
    void connect() {
        channel = LoopSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        deployed.forEach(d -> LoopSupport.undeploy(api, d[0], d[1]));
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    private String deployShop(int agentCount) {
        String app = LoopSupport.shop(api, "v1");
        agents.addAll(LoopSupport.fleet(channel, "deploy", agentCount, 3, 4000, 8192));
        HttpApi.Response response = LoopSupport.deploy(api, app, "v1");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.location()).isEqualTo("/api/v1/applications/" + app + "/deployments/v1");
        deployed.add(new String[] {app, "v1"});
        return app;
    }

    @Test
    void theShopOnTenAgentsRunsExactlyTheStoredPlanAndThenGetsAllTraffic() {
        String app = deployShop(10);
        JsonNode placed = LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
        assertThat(placed.get("weightBasisPoints").asInt()).isEqualTo(10_000);
        assertThat(placed.get("replicasRunning").asInt())
                .isEqualTo(placed.get("replicasWanted").asInt());

        JsonNode plan = LoopSupport.plan(api, app, "v1");
        assertThat(plan.get("status").asString()).isEqualTo("FEASIBLE");
        assertThat(plan.get("decision").asString()).isEqualTo("APPLIED_FIRST");
        assertThat(plan.get("inputs").get("load").asString()).isEqualTo("DECLARED");
        assertThat(plan.get("baselines").get("onePerProcess").get("costPerHour").asDouble())
                .isPositive();
        assertThat(plan.get("triggers").get(0).get("kind").asString()).isEqualTo("DEPLOYED");

        // what each agent was told to run is exactly what the stored plan assigns it
        Map<String, Set<String>> planned = new HashMap<>();
        Map<String, List<String>> componentsOf = new HashMap<>();
        Set<String> ingressHosts = new TreeSet<>();
        for (JsonNode group : plan.get("groups")) {
            List<String> components = new ArrayList<>();
            group.get("components").forEach(c -> components.add(c.asString()));
            for (JsonNode a : group.get("assignments")) {
                planned.computeIfAbsent(a.get("agentId").asString(), k -> new TreeSet<>())
                        .add(a.get("assignmentId").asString());
                componentsOf.put(a.get("assignmentId").asString(), components);
                if (components.contains("frontend")) {
                    ingressHosts.add(a.get("agentId").asString());
                }
            }
        }
        assertThat(planned).isNotEmpty();
        Set<String> allComponents = new TreeSet<>();
        componentsOf.values().forEach(allComponents::addAll);
        assertThat(allComponents).hasSize(11);
        for (LoopAgent agent : agents) {
            Set<String> mine = planned.getOrDefault(agent.id, Set.of());
            if (mine.isEmpty()) {
                agent.assertNever(ControlMessage.BodyCase.ASSIGNMENTS);
                agent.assertNever(ControlMessage.BodyCase.ROUTING_TABLE);
                continue;
            }
            assertThat(agent.assignmentIds()).as(agent.id).isEqualTo(mine);
            for (Assignment a : agent.assignments().getAssignmentsList()) {
                assertThat(a.getApplication()).isEqualTo(app);
                assertThat(a.getVersion()).isEqualTo("v1");
                assertThat(a.getComponentsList()).isEqualTo(componentsOf.get(a.getAssignmentId()));
                assertThat(a.getArtifact()).isEqualTo("oci://registry.example.com/weft/online-shop:1.0.0");
                assertThat(a.getResources().getCpuMillicores()).isPositive();
            }
            // the version's routing table reaches a host before the set that makes it run the version
            List<ControlMessage> messages = agent.received();
            int table = indexOf(messages, ControlMessage.BodyCase.ROUTING_TABLE);
            int set = indexOf(messages, ControlMessage.BodyCase.ASSIGNMENTS);
            assertThat(table).as(agent.id + " got its routing table first").isBetween(0, set);
            RoutingTable routes = agent.routingTable(app, "v1");
            // a route for every component its replicas reach over the network: all but those they host in-process
            Set<String> local = null;
            for (Assignment a : agent.assignments().getAssignmentsList()) {
                if (local == null) {
                    local = new TreeSet<>(a.getComponentsList());
                } else {
                    local.retainAll(a.getComponentsList());
                }
            }
            Set<String> remote = new TreeSet<>(allComponents);
            remote.removeAll(local);
            assertThat(routes.getRoutesList().stream().map(Route::getComponent).toList())
                    .containsExactlyInAnyOrderElementsOf(remote);
            for (Route route : routes.getRoutesList()) {
                assertThat(route.getEndpointsList()).as(route.getComponent()).isNotEmpty();
                for (Endpoint e : route.getEndpointsList()) {
                    String host = e.getAddress().replace(".test:7000", "");
                    assertThat(planned.get(host))
                            .as(route.getComponent() + " at " + e.getAddress())
                            .contains(e.getAssignmentId());
                    assertThat(componentsOf.get(e.getAssignmentId())).contains(route.getComponent());
                }
            }
        }
        // ingress hosts get the traffic split: 100 % to v1, with the frontends' endpoints
        for (LoopAgent agent : agents) {
            if (ingressHosts.contains(agent.id)) {
                LoopAgent.await(agent.id + " gets the traffic split", () -> agent.trafficSplit(app) != null);
                TrafficSplit split = agent.trafficSplit(app);
                assertThat(split.getWeightsCount()).isEqualTo(1);
                assertThat(split.getWeights(0).getVersion()).isEqualTo("v1");
                assertThat(split.getWeights(0).getWeightBp()).isEqualTo(10_000);
                assertThat(split.getWeights(0).getIngressEndpointsCount())
                        .isEqualTo(planned.keySet().stream()
                                .filter(ingressHosts::contains)
                                .count());
            } else {
                agent.assertNever(ControlMessage.BodyCase.TRAFFIC_SPLIT);
            }
        }

        // desired against applied, per agent
        String host = planned.keySet().iterator().next();
        LoopAgent.await(
                "the ack of " + host + " is recorded",
                () -> api.get("/api/v1/agents/" + host)
                        .json()
                        .get("assignments")
                        .get("inSync")
                        .asBoolean());
        JsonNode view = api.get("/api/v1/agents/" + host).json().get("assignments");
        assertThat(view.get("desiredGeneration").asLong())
                .isEqualTo(view.get("acknowledgedGeneration").asLong());
        assertThat(view.get("desired").size()).isEqualTo(planned.get(host).size());

        // the version's resource and the audit log show the deployment
        JsonNode version =
                api.get("/api/v1/applications/" + app + "/versions/v1").json();
        assertThat(version.get("deployment").get("state").asString()).isEqualTo("PLACED");
        assertThat(version.get("servingWeightBasisPoints").asInt()).isEqualTo(10_000);
        List<String> kinds = new ArrayList<>();
        api.get("/api/v1/events?application=" + app)
                .json()
                .get("items")
                .forEach(e -> kinds.add(e.get("kind").asString()));
        assertThat(kinds)
                .contains("DEPLOYMENT_REQUESTED", "PLAN_APPLIED", "DEPLOYMENT_PLACED", "TRAFFIC_SPLIT_CHANGED");
        assertThat(kinds.indexOf("TRAFFIC_SPLIT_CHANGED"))
                .as("newest first: traffic after placement")
                .isLessThan(kinds.indexOf("DEPLOYMENT_PLACED"));

        // a second version while v1 serves is refused, pointing to rollouts
        LoopSupport.register(api, app, LoopSupport.shopSpec().replace("\"version\": \"v1\"", "\"version\": \"v2\""));
        HttpApi.Response second = LoopSupport.deploy(api, app, "v2");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("code").asString()).isEqualTo("APPLICATION_ALREADY_SERVING");
        assertThat(second.json().get("detail").asString())
                .contains("rollout", "/api/v1/applications/" + app + "/rollouts");
        // deploying v1 again is idempotent
        assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(200);
    }

    @Test
    void aVersionGetsNoTrafficUntilEveryReplicaOfItsPlanReportsRunning() {
        String app = LoopSupport.shop(api, "v1");
        agents.addAll(LoopSupport.fleet(channel, "starting", 4, 2, 4000, 8192));
        agents.forEach(LoopAgent::holdStarting);
        assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(201);
        deployed.add(new String[] {app, "v1"});
        JsonNode plan = LoopSupport.awaitPlanAfter(api, app, "v1", 0);
        Map<String, List<String>> hosts = LoopSupport.agentsByGroup(plan);
        List<LoopAgent> hosting = agents.stream()
                .filter(a -> hosts.values().stream().anyMatch(list -> list.contains(a.id)))
                .toList();
        for (LoopAgent agent : hosting) {
            agent.awaitAssignments("assigned", set -> set.getAssignmentsCount() > 0);
        }
        // acknowledged but only starting: still placing, no weight, no split pushed
        LoopAgent.await(
                "the acks are recorded",
                () -> hosting.stream()
                        .allMatch(a -> api.get("/api/v1/agents/" + a.id)
                                .json()
                                .get("assignments")
                                .get("inSync")
                                .asBoolean()));
        // the leader's next deployment check (every 100 ms here) says how many run
        LoopAgent.await(
                "the deployment counts the replicas running",
                () -> LoopSupport.deployment(api, app, "v1")
                        .get("reason")
                        .asString()
                        .contains("0 of"));
        JsonNode placing = LoopSupport.deployment(api, app, "v1");
        assertThat(placing.get("state").asString()).isEqualTo("PLACING");
        assertThat(placing.get("weightBasisPoints").asInt()).isZero();
        hosting.forEach(a -> a.assertNever(ControlMessage.BodyCase.TRAFFIC_SPLIT));

        // all but one running: still no traffic
        for (int i = 0; i < hosting.size() - 1; i++) {
            hosting.get(i).releaseStarting();
        }
        LoopAgent last = hosting.getLast();
        LoopAgent.await(
                "the others' replicas are seen running",
                () -> LoopSupport.deployment(api, app, "v1")
                                .get("replicasRunning")
                                .asInt()
                        == LoopSupport.deployment(api, app, "v1")
                                        .get("replicasWanted")
                                        .asInt()
                                - last.assignments().getAssignmentsCount());
        assertThat(LoopSupport.deployment(api, app, "v1")
                        .get("weightBasisPoints")
                        .asInt())
                .isZero();

        last.releaseStarting();
        JsonNode now = LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
        assertThat(now.get("weightBasisPoints").asInt()).isEqualTo(10_000);
    }

    @Test
    void undeployTakesTheTrafficAwayFirstThenStopsEveryReplicaAndReleasesTheVersion() {
        String app = deployShop(4);
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
        Map<String, List<String>> hosts = LoopSupport.agentsByGroup(LoopSupport.plan(api, app, "v1"));
        List<LoopAgent> hosting = agents.stream()
                .filter(a -> hosts.values().stream().anyMatch(list -> list.contains(a.id)))
                .toList();
        LoopAgent ingress = agents.stream()
                .filter(a -> a.trafficSplit(app) != null)
                .findFirst()
                .orElseThrow();
        LoopAgent.await(
                "the split reached the ingress", () -> ingress.trafficSplit(app).getWeightsCount() == 1);
        int before = ingress.received().size();

        HttpApi.Response undeploy = api.delete("/api/v1/applications/" + app + "/deployments/v1");
        assertThat(undeploy.status()).isEqualTo(202);
        assertThat(undeploy.json().get("state").asString()).isEqualTo("RELEASING");
        assertThat(undeploy.json().get("weightBasisPoints").asInt()).isZero();
        for (LoopAgent agent : hosting) {
            agent.awaitAssignments("told to run nothing", set -> set.getAssignmentsCount() == 0);
        }
        // the ingress heard "no version serves" before it was told to stop its replicas
        List<ControlMessage> after =
                ingress.received().subList(before, ingress.received().size());
        int split = indexOf(after, ControlMessage.BodyCase.TRAFFIC_SPLIT);
        int stop = indexOf(after, ControlMessage.BodyCase.ASSIGNMENTS);
        assertThat(split).isBetween(0, stop);
        assertThat(after.get(split).getTrafficSplit().getWeightsCount()).isZero();

        LoopSupport.awaitDeployment(api, app, "v1", "RELEASED");
        assertThat(LoopSupport.plan(api, app, "v1").get("status").asString()).isEqualTo("RELEASE");
        HttpApi.Response list = api.get("/api/v1/applications/" + app + "/deployments");
        assertThat(list.json().get("items").size()).isZero();
        assertThat(list.json().get("trafficSplit").size()).isZero();
        // nothing runs it: the version may be deleted now
        assertThat(api.delete("/api/v1/applications/" + app + "/versions/v1").status())
                .isEqualTo(204);
        deployed.clear();
    }

    @Test
    void badDeploymentsAreRefusedWithTheFieldNamed() {
        String app = LoopSupport.shop(api, "v1");
        HttpApi.Response missing = api.post("/api/v1/applications/" + app + "/deployments", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("code").asString()).isEqualTo("MISSING_FIELD");
        assertThat(missing.json().get("errors").get(0).get("field").asString()).isEqualTo("version");
        HttpApi.Response unknownField =
                api.post("/api/v1/applications/" + app + "/deployments", "{\"version\": \"v1\", \"weight\": 5}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("code").asString()).isEqualTo("UNKNOWN_FIELD");
        HttpApi.Response noVersion = LoopSupport.deploy(api, app, "v9");
        assertThat(noVersion.status()).isEqualTo(404);
        assertThat(noVersion.json().get("code").asString()).isEqualTo("VERSION_NOT_FOUND");
        HttpApi.Response noApp = LoopSupport.deploy(api, "no-such-app", "v1");
        assertThat(noApp.status()).isEqualTo(404);
        assertThat(noApp.json().get("code").asString()).isEqualTo("APPLICATION_NOT_FOUND");
        HttpApi.Response notDeployed = api.delete("/api/v1/applications/" + app + "/deployments/v1");
        assertThat(notDeployed.status()).isEqualTo(404);
        assertThat(notDeployed.json().get("code").asString()).isEqualTo("DEPLOYMENT_NOT_FOUND");
        HttpApi.Response noPlan = api.get("/api/v1/applications/" + app + "/versions/v1/plan");
        assertThat(noPlan.status()).isEqualTo(404);
        assertThat(noPlan.json().get("code").asString()).isEqualTo("PLAN_NOT_FOUND");
        HttpApi.Response replan = api.post("/api/v1/applications/" + app + "/versions/v1/plan/replan", "");
        assertThat(replan.status()).isEqualTo(409);
        assertThat(replan.json().get("code").asString()).isEqualTo("VERSION_NOT_DEPLOYED");
    }

    static int indexOf(List<ControlMessage> messages, ControlMessage.BodyCase kind) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).getBodyCase() == kind) {
                return i;
            }
        }
        return -1;
    }
}
