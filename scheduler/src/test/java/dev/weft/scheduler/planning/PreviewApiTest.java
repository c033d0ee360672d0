package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import tools.jackson.databind.JsonNode;

/** The what-if preview plans today's inputs with overrides and applies nothing. */
@LoopIntegrationTest
class PreviewApiTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    ManagedChannel channel;
    HttpApi api;
    List<LoopAgent> agents = new ArrayList<>();
    String app;
    String base;

    @BeforeEach
    void deploy() {
        channel = LoopSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
        agents.addAll(LoopSupport.fleet(channel, "whatif", 6, 3, 4000, 8192));
        app = LoopSupport.shop(api, "v1");
        base = "/api/v1/applications/" + app + "/versions/v1/plan";
        assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(201);
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        LoopSupport.undeploy(api, app, "v1");
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    private JsonNode preview(Object body) {
        HttpApi.Response response = api.post(base + "/preview", HttpApi.json(body));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void overridesChangeThePreviewedPlanAndNothingIsApplied() {
        JsonNode running = LoopSupport.plan(api, app, "v1");
        long generations =
                api.get(base.replace("/plan", "/plans")).json().get("total").asLong();

        JsonNode same = preview(Map.of());
        assertThat(same.get("status").asString()).isEqualTo("FEASIBLE");
        assertThat(same.get("moves").get("moved").asInt()
                        + same.get("moves").get("added").asInt())
                .isZero();
        assertThat(same.get("costPerHour").asDouble())
                .isEqualTo(same.get("currentCostPerHour").asDouble(), org.assertj.core.data.Offset.offset(1e-9));

        // three times the load needs more replicas, and costs more than today's plan at today's load
        JsonNode triple = preview(Map.of("loadFactor", 3));
        int replicasToday = running.get("score").get("replicas").asInt();
        assertThat(triple.get("score").get("replicas").asInt()).isGreaterThan(replicasToday);
        assertThat(triple.get("costPerHour").asDouble())
                .isGreaterThan(running.get("score").get("costPerHour").asDouble());
        assertThat(triple.get("moves").get("added").asInt()).isPositive();

        // without the agents that run replicas now, every replica moves
        List<String> hosts = new ArrayList<>();
        LoopSupport.agentsByGroup(running).values().forEach(hosts::addAll);
        JsonNode without =
                preview(Map.of("removeAgents", hosts.stream().distinct().toList()));
        if (without.get("status").asString().equals("FEASIBLE")) {
            LoopSupport.agentsByGroup(without)
                    .values()
                    .forEach(list -> assertThat(list).doesNotContainAnyElementsOf(hosts));
        } else {
            assertThat(without.get("reasons").size()).isPositive();
        }

        // an added agent and a constraint keeping cart away from the frontend
        JsonNode apart = preview(Map.of(
                "addAgents",
                        List.of(Map.of("id", "new-agent", "zone", "zone-9", "cpuMillis", 8000, "memoryMiB", 16384)),
                "addConstraints", Map.of("separate", List.of(List.of("cart", "frontend"))),
                "costModel", Map.of("pricePerCoreHour", 0.05)));
        assertThat(apart.get("inputs").get("costModel").get("pricePerCoreHour").asDouble())
                .isEqualTo(0.05);
        for (JsonNode g : apart.get("groups")) {
            String members = g.get("components").toString();
            assertThat(members.contains("\"cart\"") && members.contains("\"frontend\""))
                    .isFalse();
        }
        // removing the colocate constraint is allowed too
        assertThat(preview(Map.of("removeConstraints", Map.of("colocate", List.of(List.of("cart-store", "cart")))))
                        .get("status")
                        .asString())
                .isIn("FEASIBLE", "INFEASIBLE");

        // nothing was applied or stored by the previews: any plan stored meanwhile is the loop's own (the agents'
        // joins, debounced, may still ask for one after the first plan placed the version; on a loaded machine one
        // was applied as generation 2 during this test), never one an operator's request caused
        JsonNode history =
                api.get(base.replace("/plan", "/plans") + "?size=100").json();
        List<String> since = new ArrayList<>();
        for (JsonNode p : history.get("items")) {
            if (p.get("generation").asLong() > generations) {
                p.get("triggers").forEach(t -> since.add(t.get("kind").asString()));
            }
        }
        assertThat(since).doesNotContain("OPERATOR", "DEPLOYED");
        if (since.isEmpty()) {
            assertThat(LoopSupport.plan(api, app, "v1").get("generation").asLong())
                    .isEqualTo(running.get("generation").asLong());
            assertThat(history.get("total").asLong()).isEqualTo(generations);
        }
    }

    @Test
    void badOverridesAreRefusedNamingTheField() {
        HttpApi.Response unknownComponent =
                api.post(base + "/preview", HttpApi.json(Map.of("componentLoadFactors", Map.of("nope", 2))));
        assertThat(unknownComponent.status()).isEqualTo(400);
        assertThat(unknownComponent.json().get("code").asString()).isEqualTo("INVALID_PREVIEW");
        assertThat(unknownComponent.json().get("errors").get(0).get("field").asString())
                .isEqualTo("componentLoadFactors.nope");
        HttpApi.Response negative = api.post(base + "/preview", HttpApi.json(Map.of("loadFactor", -1)));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().get("detail").asString()).contains("loadFactor");
        HttpApi.Response unknownAgent =
                api.post(base + "/preview", HttpApi.json(Map.of("removeAgents", List.of("ghost"))));
        assertThat(unknownAgent.status()).isEqualTo(400);
        assertThat(unknownAgent.json().get("errors").get(0).get("field").asString())
                .isEqualTo("removeAgents[0]");
        HttpApi.Response notAConstraint = api.post(
                base + "/preview",
                HttpApi.json(Map.of("removeConstraints", Map.of("separate", List.of(List.of("cart", "ads"))))));
        assertThat(notAConstraint.status()).isEqualTo(400);
        HttpApi.Response badModel =
                api.post(base + "/preview", HttpApi.json(Map.of("costModel", Map.of("targetUtilization", 2))));
        assertThat(badModel.status()).isEqualTo(400);
        assertThat(badModel.json().get("detail").asString()).contains("targetUtilization");
        HttpApi.Response unknownField = api.post(base + "/preview", "{\"loadFactr\": 2}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("code").asString()).isEqualTo("UNKNOWN_FIELD");
        HttpApi.Response noGeneration = api.get(base.replace("/plan", "/plans/999"));
        assertThat(noGeneration.status()).isEqualTo(404);
        assertThat(noGeneration.json().get("code").asString()).isEqualTo("GENERATION_NOT_FOUND");
        HttpApi.Response noVersion = api.get("/api/v1/applications/" + app + "/versions/v9/plan");
        assertThat(noVersion.json().get("code").asString()).isEqualTo("VERSION_NOT_FOUND");
    }

    @Test
    void badPlanQueriesAreProblemsNamingTheParameterNeverServerErrors() {
        String plans = base.replace("/plan", "/plans");
        for (String path : List.of(
                plans + "?page=-1",
                plans + "?size=0",
                plans + "?size=100000",
                plans + "?page=x",
                plans + "/abc",
                plans + "/1/diff/abc",
                plans + "/99999999999999999999/diff/1")) {
            HttpApi.Response bad = api.get(path);
            assertThat(bad.status()).as(path + ": " + bad.body()).isEqualTo(400);
            assertThat(bad.contentType()).as(path).startsWith("application/problem+json");
            assertThat(bad.json().get("code").asString()).as(path).isNotBlank();
        }
        HttpApi.Response noSuchGeneration = api.get(plans + "/1/diff/999");
        assertThat(noSuchGeneration.status()).as(noSuchGeneration.body()).isEqualTo(404);
        assertThat(noSuchGeneration.json().get("code").asString()).isEqualTo("GENERATION_NOT_FOUND");
        HttpApi.Response malformed = api.post(base + "/preview", "{\"loadFactor\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("code").asString()).isEqualTo("MALFORMED_JSON");
        HttpApi.Response wrongMethod = api.get(base + "/replan");
        assertThat(wrongMethod.status()).isEqualTo(405);
    }
}
