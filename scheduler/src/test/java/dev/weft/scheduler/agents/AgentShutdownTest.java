package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.WeftApplication;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A control plane that stops while hundreds of agents are connected (or have just hung up) stops promptly and
 * leaves each of them recorded as disconnected with the lease it earned, as if each stream had ended on its own.
 */
class AgentShutdownTest {

    static final int AGENTS = 300;

    @TempDir
    Path dataDirectory;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(WeftApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.grpc.server.port=0",
                        "--weft.agents.bootstrap-tokens=" + AgentIntegrationTest.TOKEN,
                        // long enough that no lease runs out between the two runs, whatever the machine's speed
                        "--weft.agents.lease=10m",
                        // one stream at a time may use the database, so disconnects queue up as they do under load
                        "--weft.agents.max-concurrent-database-calls=1",
                        "--weft.database.embedded.data-directory=" + dataDirectory,
                        "--weft.database.embedded.clean=false");
    }

    @Test
    @Timeout(
            value = 120,
            unit = TimeUnit.SECONDS) // before the fix, each stream's disconnect waited 30 s for a connection
    void stoppingWithManyAgentsConnectedIsPromptAndRecordsThemDisconnected() throws Exception {
        List<String> ids = new ArrayList<>();
        Instant connectedAt;
        long closeMillis;
        ConfigurableApplicationContext first = start();
        ManagedChannel channel = AgentTestSupport.channel(
                first.getBean(GrpcServerLifecycle.class).getPort());
        List<TestAgent> agents = new ArrayList<>();
        try {
            connectedAt = Instant.now();
            for (int i = 0; i < AGENTS; i++) {
                TestAgent agent = new TestAgent(channel, AgentTestSupport.agentId("stay-" + i));
                agents.add(agent);
                agent.register();
                ids.add(agent.id);
            }
            // half of them hang up just before the stop: their disconnects are still queued when it begins
            for (int i = 0; i < AGENTS / 2; i++) {
                agents.get(i).hangUp();
            }
            long started = System.nanoTime();
            first.close();
            closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            for (TestAgent agent : agents.subList(AGENTS / 2, AGENTS)) {
                io.grpc.Status status = agent.closedWith();
                assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                assertThat(status.getDescription()).contains("shutting down", agent.id, "reconnect");
            }
        } finally {
            agents.forEach(TestAgent::close);
            AgentTestSupport.shutdown(channel);
            first.close();
        }
        // gRPC's own grace period is 30 s: streams that are ended at once do not wait it out
        assertThat(closeMillis)
                .as("time to stop with %d agents connected", AGENTS)
                .isLessThan(15_000);

        try (ConfigurableApplicationContext second = start()) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            List<String> states = jdbc.sql("select distinct state from agents where id = any(?)")
                    .param(ids.toArray(String[]::new))
                    .query(String.class)
                    .list();
            assertThat(states).containsExactly("DISCONNECTED");
            Instant earliestLease = jdbc.sql("select min(lease_expires_at) from agents where id = any(?)")
                    .param(ids.toArray(String[]::new))
                    .query(Timestamp.class)
                    .single()
                    .toInstant();
            assertThat(earliestLease)
                    .as("each keeps the lease its last message earned")
                    .isAfterOrEqualTo(connectedAt.plus(Duration.ofMinutes(10)).minusSeconds(1));
        }
    }
}
