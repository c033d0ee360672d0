package dev.weft.scheduler.agents;

import dev.weft.scheduler.HttpApi;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Shared helpers of the agent tests: a plaintext channel to the running gRPC server and the online shop. */
final class AgentTestSupport {

    private AgentTestSupport() {}

    static ManagedChannel channel(int grpcPort) {
        return ManagedChannelBuilder.forAddress("localhost", grpcPort)
                .usePlaintext()
                .build();
    }

    static void shutdown(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** A fresh agent id, so tests sharing one database never see each other's agents. */
    static String agentId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers application {@code name} with the online shop as its version v1 (idempotent). */
    static void registerShop(HttpApi api, String name) {
        registerShop(api, name, "v1");
    }

    /** Registers application {@code name} with the online shop as its version {@code version} (idempotent). */
    static void registerShop(HttpApi api, String name, String version) {
        api.post("/api/v1/applications", HttpApi.json(Map.of("name", name)));
        var response = api.post(
                "/api/v1/applications/" + name + "/versions",
                shopSpec().replace("\"version\": \"v1\"", "\"version\": \"" + version + "\""));
        org.assertj.core.api.Assertions.assertThat(response.status())
                .as(response.body())
                .isIn(200, 201);
    }

    static String shopSpec() {
        try {
            return Files.readString(Path.of("..", "examples", "specs", "online-shop.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits (at most 5 s, polling every 5 ms) for something the server does on its own threads after a
     * stream ends, such as recording a disconnect. The condition decides, never the elapsed time.
     */
    static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
    }

    static void awaitState(JdbcClient jdbc, String agentId, String state) {
        await("agent " + agentId + " is " + state, () -> state(jdbc, agentId).equals(state));
    }

    static String state(JdbcClient jdbc, String agentId) {
        return jdbc.sql("select state from agents where id = ?")
                .param(agentId)
                .query(String.class)
                .single();
    }

    static long events(JdbcClient jdbc, String kind, String agentId) {
        return jdbc.sql("select count(*) from events where kind = ? and agent_id = ?")
                .params(kind, agentId)
                .query(Long.class)
                .single();
    }
}
