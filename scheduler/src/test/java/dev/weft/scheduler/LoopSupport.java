package dev.weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** Helpers of the loop tests: channels, the online shop, a fleet of agents, waits on what the REST API shows. */
public final class LoopSupport {

    private LoopSupport() {}

    public static ManagedChannel channel(int grpcPort) {
        return ManagedChannelBuilder.forAddress("localhost", grpcPort)
                .usePlaintext()
                .build();
    }

    public static void shutdown(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String shopSpec() {
        try {
            return Files.readString(Path.of("..", "examples", "specs", "online-shop.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new application with the online shop as version {@code version}. */
    public static String shop(HttpApi api, String version) {
        String app = unique("shop");
        assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", app)))
                        .status())
                .isEqualTo(201);
        register(api, app, shopSpec().replace("\"version\": \"v1\"", "\"version\": \"" + version + "\""));
        return app;
    }

    public static void register(HttpApi api, String app, String spec) {
        HttpApi.Response response = api.post("/api/v1/applications/" + app + "/versions", spec);
        assertThat(response.status()).as(response.body()).isIn(200, 201);
    }

    /**
     * {@code n} agents of {@code cpuMillis} and {@code memoryMiB}, alternating between two zones; the first
     * {@code pci} carry the label {@code pci=true} the shop's payment is pinned to.
     */
    public static List<LoopAgent> fleet(
            ManagedChannel channel, String prefix, int n, int pci, int cpuMillis, int memoryMiB) {
        List<LoopAgent> agents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            agents.add(new LoopAgent(
                            channel,
                            unique(prefix + i),
                            "zone-" + (i % 2),
                            i < pci ? Map.of("pci", "true") : Map.of(),
                            cpuMillis,
                            memoryMiB)
                    .register());
        }
        return agents;
    }

    public static HttpApi.Response deploy(HttpApi api, String app, String version) {
        return api.post("/api/v1/applications/" + app + "/deployments", HttpApi.json(Map.of("version", version)));
    }

    public static JsonNode deployment(HttpApi api, String app, String version) {
        return api.get("/api/v1/applications/" + app + "/deployments/" + version)
                .json();
    }

    public static JsonNode awaitDeployment(HttpApi api, String app, String version, String state) {
        LoopAgent.await(
                app + " " + version + " is " + state,
                () -> state.equals(deployment(api, app, version).get("state").asString()));
        return deployment(api, app, version);
    }

    public static JsonNode plan(HttpApi api, String app, String version) {
        HttpApi.Response response = api.get("/api/v1/applications/" + app + "/versions/" + version + "/plan");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Waits for the version's active plan to reach a generation above {@code above}. */
    public static JsonNode awaitPlanAfter(HttpApi api, String app, String version, long above) {
        LoopAgent.await(app + " " + version + " has a plan above generation " + above, () -> {
            HttpApi.Response r = api.get("/api/v1/applications/" + app + "/versions/" + version + "/plan");
            return r.status() == 200 && r.json().get("generation").asLong() > above;
        });
        return plan(api, app, version);
    }

    /** Undeploys (if deployed) so no later test's agents are given this version. */
    public static void undeploy(HttpApi api, String app, String version) {
        api.delete("/api/v1/applications/" + app + "/deployments/" + version);
    }

    /**
     * Moves the clock and has every agent heartbeat, waiting until the control plane heard each at the new time,
     * so only an agent left out can lose its lease.
     */
    public static void advance(LoopClock clock, HttpApi api, List<LoopAgent> alive, Duration by) {
        clock.advance(by);
        Instant now = clock.instant();
        for (LoopAgent agent : alive) {
            agent.heartbeat();
        }
        for (LoopAgent agent : alive) {
            LoopAgent.await(
                    agent.id + " heard at " + now,
                    () -> !Instant.parse(api.get("/api/v1/agents/" + agent.id)
                                    .json()
                                    .get("lastHeartbeatAt")
                                    .asString())
                            .isBefore(now));
        }
    }

    /** The agents a plan's replicas run on, per group name. */
    public static Map<String, List<String>> agentsByGroup(JsonNode plan) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (JsonNode g : plan.get("groups")) {
            List<String> agents = new ArrayList<>();
            for (JsonNode a : g.get("assignments")) {
                agents.add(a.get("agentId").asString());
            }
            agents.sort(null);
            out.put(g.get("name").asString(), agents);
        }
        return out;
    }
}
