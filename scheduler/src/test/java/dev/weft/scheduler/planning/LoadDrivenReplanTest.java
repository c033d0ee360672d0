package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.Assignment;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopClock;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import tools.jackson.databind.JsonNode;

/**
 * Measured load drives the plan: once agents' reports cover the whole window the declared hints give way to the
 * measurements, and when two components start calling each other heavily the planner puts them in one process and
 * pushes it. (The test window is 30 s in three 10 s slices, read 10 s behind the clock.)
 */
@LoopIntegrationTest
class LoadDrivenReplanTest {

    static final List<String> SHOP = List.of(
            "frontend",
            "checkout",
            "cart",
            "cart-store",
            "product-catalog",
            "currency",
            "payment",
            "shipping",
            "email",
            "recommendation",
            "ads");

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
            LoopSupport.undeploy(api, app, "v1");
        }
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    @Test
    void twoComponentsThatStartCallingEachOtherHeavilyAreColocatedAndPushed() {
        app = LoopSupport.shop(api, "v1");
        agents.addAll(LoopSupport.fleet(channel, "load", 10, 3, 8000, 16384));
        alignToABucket();
        assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(201);
        JsonNode declared = LoopSupport.awaitPlanAfter(api, app, "v1", 0);
        assertThat(declared.get("inputs").get("load").asString()).isEqualTo("DECLARED");
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");

        // a full window of measurements: every component 1 core, almost no calls between them
        Map<String, Double> cores = new LinkedHashMap<>();
        SHOP.forEach(c -> cores.put(c, 1.0));
        reportWindow(cores, Map.of(List.of("frontend", "currency"), 10.0));
        JsonNode measured = LoopSupport.awaitPlanAfter(
                api, app, "v1", declared.get("generation").asLong());
        assertThat(measured.get("inputs").get("load").asString()).isEqualTo("MEASURED");
        assertThat(measured.get("triggers").toString()).contains("LOAD_CHANGED");
        assertThat(groupOf(measured, "ads")).as(measured.toPrettyString()).isNotEqualTo(groupOf(measured, "email"));

        // ads now calls email 40,000 times a second, in every slice of the window
        reportWindow(cores, Map.of(List.of("frontend", "currency"), 10.0, List.of("ads", "email"), 40_000.0));
        // the plan that colocates them follows; a check that ran while the measured plan was being stored may have
        // planned the cpu drift once more, reading the new calls already, so its trigger may name either change
        long measuredGeneration = measured.get("generation").asLong();
        LoopAgent.await("a plan puts ads and email in one process", () -> {
            JsonNode active = LoopSupport.plan(api, app, "v1");
            return active.get("generation").asLong() > measuredGeneration
                    && groupOf(active, "ads").equals(groupOf(active, "email"));
        });
        JsonNode together = LoopSupport.plan(api, app, "v1");
        assertThat(together.get("decision").asString()).isIn("APPLIED_BETTER", "APPLIED_INVALID");
        assertThat(together.get("triggers").toString()).contains("LOAD_CHANGED");
        assertThat(groupOf(together, "ads")).as(together.toPrettyString()).isEqualTo(groupOf(together, "email"));
        assertThat(together.get("diff").get("regrouped").toString()).contains("ads", "email");

        // and it reached the agents: each host of the new group runs one process with both
        List<String> hosts = LoopSupport.agentsByGroup(together).get(groupOf(together, "ads"));
        for (LoopAgent agent : agents) {
            if (hosts.contains(agent.id)) {
                agent.awaitAssignments(
                        "runs ads and email together",
                        set -> set.getAssignmentsList().stream()
                                .map(Assignment::getComponentsList)
                                .anyMatch(c -> c.contains("ads") && c.contains("email")));
            }
        }
        // the history holds every generation, newest first, and a diff between any two; nothing computed since
        // (the periodic checks go on) replaced the colocated plan
        JsonNode history = api.get("/api/v1/applications/" + app + "/versions/v1/plans?size=50")
                .json();
        assertThat(history.get("total").asLong()).isGreaterThanOrEqualTo(3);
        long newest = history.get("items").get(0).get("generation").asLong();
        assertThat(newest).isGreaterThanOrEqualTo(together.get("generation").asLong());
        assertThat(LoopSupport.plan(api, app, "v1").get("generation").asLong())
                .as(history.toPrettyString())
                .isEqualTo(together.get("generation").asLong());
        JsonNode diff = api.get("/api/v1/applications/" + app + "/versions/v1/plans/"
                        + measured.get("generation").asLong() + "/diff/"
                        + together.get("generation").asLong())
                .json();
        assertThat(diff.get("diff").get("regrouped").toString()).contains("email");
        assertThat(diff.get("toCostPerHour").asDouble()).isPositive();
    }

    private String groupOf(JsonNode plan, String component) {
        for (JsonNode g : plan.get("groups")) {
            for (JsonNode c : g.get("components")) {
                if (c.asString().equals(component)) {
                    return g.get("name").asString();
                }
            }
        }
        throw new AssertionError(component + " is in no group of " + plan);
    }

    /** Moves the clock (heartbeating every agent) to the next 10 s boundary. */
    private void alignToABucket() {
        long second = clock.instant().getEpochSecond();
        long next = (second / 10 + 1) * 10;
        LoopSupport.advance(clock, api, agents, Duration.ofSeconds(next - second));
    }

    /**
     * One report per 10 s bucket for three buckets, then the clock moves on until the window (30 s ending 10 s ago)
     * covers exactly those buckets and they are closed (so written).
     */
    private void reportWindow(Map<String, Double> cores, Map<List<String>, Double> calls) {
        Instant start = clock.instant();
        assertThat(start.getEpochSecond() % 10).isZero();
        LoopAgent reporter = agents.getFirst();
        for (int i = 0; i < 3; i++) {
            LoopSupport.advance(clock, api, agents, Duration.ofSeconds(1));
            reporter.report(app, "v1", cores, calls, 10);
            LoopSupport.advance(clock, api, agents, Duration.ofSeconds(9));
        }
        LoopSupport.advance(clock, api, agents, Duration.ofSeconds(10));
        // the three buckets are closed, so the writer stores them within its flush interval
        String path =
                "/api/v1/applications/" + app + "/versions/v1/load?from=" + start + "&to=" + start.plusSeconds(30);
        LoopAgent.await(
                () -> "the window's load is stored: " + api.get(path).body() + " and since the start: "
                        + api.get(path.replace("&to=" + start.plusSeconds(30), "&to=" + clock.instant()))
                                .body(),
                () -> {
                    JsonNode load = api.get(path).json();
                    for (JsonNode c : load.get("components")) {
                        if (c.get("component").asString().equals("checkout")) {
                            return c.get("samples").asLong() == 3;
                        }
                    }
                    return false;
                });
    }
}
