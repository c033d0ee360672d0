package dev.weft.examples.quotes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.agent.node.Agent;
import dev.weft.agent.node.AgentConfig;
import dev.weft.agent.node.TestControlPlane;
import dev.weft.agent.runtime.ChannelPool;
import dev.weft.agent.runtime.Engine;
import dev.weft.agent.runtime.Router;
import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentAck;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.api.agent.v1.Endpoint;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.Route;
import dev.weft.api.agent.v1.RoutingTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unchanged Spring Boot app split by Weft: an agent runs it twice as replica processes, one hosting the quote
 * service and one the rate service, and a quote computed in the first calls the rates in the second.
 */
class QuotesOnWeftTest {

    private static final String ARTIFACT =
            "classpath:" + System.getProperty("java.class.path") + "#dev.weft.examples.quotes.QuotesApplication";

    @TempDir
    Path logs;

    private static Assignment assignment(String id, String component) {
        return Assignment.newBuilder()
                .setAssignmentId(id)
                .setApplication("quotes")
                .setVersion("v1")
                .addComponents(component)
                .setArtifact(ARTIFACT)
                .setResources(Resources.newBuilder().setCpuMillicores(500).setMemoryMib(384))
                .build();
    }

    @Test
    void aQuoteServedInOneReplicaCallsTheRatesInAnother() throws Exception {
        try (TestControlPlane cp = new TestControlPlane()) {
            AgentConfig d = AgentConfig.defaults("quotes-agent", cp.target(), "token");
            List<String> jvm = new ArrayList<>(d.jvmOptions());
            jvm.add("-Dserver.port=0"); // two copies of one web app on one host
            AgentConfig config = new AgentConfig(
                    d.agentId(),
                    d.controlPlane(),
                    d.bootstrapToken(),
                    0,
                    "",
                    "",
                    Map.of(),
                    2000,
                    4096,
                    Map.of(),
                    d.clientKeyHeader(),
                    d.clientKeyCookie(),
                    AgentConfig.ReplicaMode.PROCESS,
                    jvm,
                    logs,
                    Duration.ofSeconds(20),
                    d.ingressDeadline(),
                    Duration.ofSeconds(90),
                    Duration.ofSeconds(5),
                    d.restartBackoff(),
                    d.maxRestartBackoff(),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    1);
            Agent agent = Agent.start(config, Clock.systemUTC(), e -> {});
            try (ChannelPool channels = new ChannelPool()) {
                String address = cp.await(AgentMessage::hasHello, 10).getHello().getAdvertisedAddress();
                cp.push(ControlMessage.newBuilder()
                        .setAssignments(AssignmentSet.newBuilder()
                                .setGeneration(1)
                                .addAssignments(assignment("q1", "quotes"))
                                .addAssignments(assignment("r1", "rates")))
                        .build());
                AssignmentAck ack =
                        cp.await(AgentMessage::hasAssignmentAck, 120).getAssignmentAck();
                assertThat(ack.getApplied()).as(ack.getMessage()).isTrue();
                RoutingTable table = RoutingTable.newBuilder()
                        .setApplication("quotes")
                        .setVersion("v1")
                        .setGeneration(1)
                        .addRoutes(Route.newBuilder()
                                .setComponent("quotes")
                                .addEndpoints(Endpoint.newBuilder()
                                        .setAddress(address)
                                        .setAssignmentId("q1")))
                        .addRoutes(Route.newBuilder()
                                .setComponent("rates")
                                .addEndpoints(Endpoint.newBuilder()
                                        .setAddress(address)
                                        .setAssignmentId("r1")))
                        .build();
                cp.push(ControlMessage.newBuilder().setRoutingTable(table).build());

                // a Weft client of version v1 that hosts nothing: every call is remote
                Router router = new Router("quotes", "v1", new SplittableRandom(1));
                router.update(table, Map.of(), null);
                Engine client = new Engine(
                        "quotes",
                        "v1",
                        Map.of(
                                QuoteService.class,
                                        c -> {
                                            throw new IllegalStateException("not hosted");
                                        },
                                RateService.class,
                                        c -> {
                                            throw new IllegalStateException("not hosted");
                                        }),
                        List.of(),
                        new Engine.Remote(router, channels, 20_000));
                Quote quote = null;
                for (int i = 0; i < 50 && quote == null; i++) {
                    try {
                        quote = client.get(QuoteService.class).quote(new Parcel("DE", "FR", 2.2, 15));
                    } catch (dev.weft.agent.CallFailedException e) {
                        Thread.sleep(100); // q1 gets its routing table asynchronously
                    }
                }
                assertThat(quote).isNotNull();
                assertThat(quote.zone()).isEqualTo("eu");
                assertThat(quote.totalCents()).isEqualTo(1710);

                AgentMessage report = cp.await(
                        m -> m.hasLoadReport()
                                && m.getLoadReport().getEdgesList().stream()
                                        .anyMatch(e -> e.getCaller().equals("quotes")
                                                && e.getCallee().equals("rates")),
                        20);
                EdgeLoad edge = report.getLoadReport().getEdgesList().stream()
                        .filter(e -> e.getCaller().equals("quotes"))
                        .findFirst()
                        .orElseThrow();
                assertThat(edge.getCallerVersion()).isEqualTo("v1").isEqualTo(edge.getCalleeVersion());
                assertThat(edge.getBytesPerSecond())
                        .as("a remote call carries bytes")
                        .isPositive();
            } finally {
                agent.close();
            }
        }
    }
}
