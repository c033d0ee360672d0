package dev.weft.scheduler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.RunningReplica;
import dev.weft.cli.Weft;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopClock;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/** The CLI's rollout commands against the rollouts API, with the shop serving v1 on real agents. */
@LoopIntegrationTest
class CliRolloutTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    LoopClock clock;

    @TempDir
    Path home;

    private static final AtomicLong SEQUENCE = new AtomicLong(5_000_000);

    ManagedChannel channel;
    HttpApi api;
    List<LoopAgent> agents = new ArrayList<>();
    String app;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void setUp() {
        channel = LoopSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
        app = LoopSupport.shop(api, "v1");
        LoopSupport.register(api, app, LoopSupport.shopSpec().replace("\"version\": \"v1\"", "\"version\": \"v2\""));
        agents.addAll(LoopSupport.fleet(channel, "clir", 8, 4, 8000, 16384));
        assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(201);
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (var r : api.get("/api/v1/applications/" + app + "/rollouts").json().get("items")) {
            api.post("/api/v1/applications/" + app + "/rollouts/" + r.get("id").asLong() + "/abort", "");
        }
        LoopSupport.undeploy(api, app, "v2");
        LoopSupport.undeploy(api, app, "v1");
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    Run weft(String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Weft.run(
                args,
                new PrintWriter(out),
                new PrintWriter(err),
                Map.of("WEFT_SERVER", "http://localhost:" + httpPort, "WEFT_TOKEN", token),
                home);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aRolloutIsStartedWatchedPausedAndAbortedFromTheCli() {
        Run started =
                weft(HttpApi.ADMIN_TOKEN, "rollout", "start", "--app", app, "--version", "v2", "--policy", "canary");
        assertThat(started.code()).as(started.err()).isZero();
        assertThat(started.out()).contains("v1 -> v2", "STEP", "WEIGHT");
        String id = api.get("/api/v1/applications/" + app + "/rollouts")
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asString();
        assertThat(weft(HttpApi.ADMIN_TOKEN, "rollout", "list", "--app", app).out())
                .containsPattern("(?m)^" + id + "\\s+v1\\s+v2\\s");
        Run status = weft(HttpApi.ADMIN_TOKEN, "rollout", "status", "--app", app, id);
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("rollout " + id, "% to v2");

        String viewer = api.post(
                        "/api/v1/tokens",
                        HttpApi.json(Map.of("name", LoopSupport.unique("clir-viewer"), "role", "viewer")))
                .json()
                .get("token")
                .asString();
        Run refused = weft(viewer, "rollout", "abort", "--app", app, id);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("403 FORBIDDEN");

        LoopAgent.await(
                "the rollout ramps",
                () -> List.of("RAMPING", "PAUSED")
                        .contains(api.get("/api/v1/applications/" + app + "/rollouts/" + id)
                                .json()
                                .get("state")
                                .asString()));
        Run paused = weft(HttpApi.ADMIN_TOKEN, "rollout", "pause", "--app", app, id);
        assertThat(paused.code()).as(paused.err()).isZero();
        assertThat(paused.out()).contains("PAUSED");
        Run again = weft(HttpApi.ADMIN_TOKEN, "rollout", "pause", "--app", app, id);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("409 ALREADY_PAUSED");
        Run aborted = weft(HttpApi.ADMIN_TOKEN, "rollout", "abort", "--app", app, id);
        assertThat(aborted.code()).as(aborted.err()).isZero();
        assertThat(aborted.out()).containsPattern("ABORTING|ROLLED_BACK");
    }

    @Test
    void watchRedrawsTheRolloutUntilItEndsAndExitsOneWhenItWasRolledBack() throws Exception {
        weft(HttpApi.ADMIN_TOKEN, "rollout", "start", "--app", app, "--version", "v2", "--policy", "canary");
        String id = api.get("/api/v1/applications/" + app + "/rollouts")
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asString();
        CompletableFuture<Run> watching = CompletableFuture.supplyAsync(() ->
                weft(HttpApi.ADMIN_TOKEN, "rollout", "status", "--app", app, id, "--watch", "--interval", "PT0.1S"));
        LoopAgent.await(
                "the rollout ramps",
                () -> "RAMPING"
                        .equals(api.get("/api/v1/applications/" + app + "/rollouts/" + id)
                                .json()
                                .get("state")
                                .asString()));
        assertThat(watching).isNotDone();
        assertThat(api.post("/api/v1/applications/" + app + "/rollouts/" + id + "/abort", "")
                        .status())
                .isEqualTo(200);
        // the new version drains: its agents report nothing in flight, and the rollout ends ROLLED_BACK
        LoopSupport.advance(clock, api, agents, java.time.Duration.ofSeconds(15));
        reportIdle("v2");
        LoopSupport.advance(clock, api, agents, java.time.Duration.ofSeconds(1));
        Run watched = watching.get(60, TimeUnit.SECONDS);
        assertThat(watched.code()).as(watched.out() + watched.err()).isEqualTo(1);
        assertThat(watched.err()).contains("rollout " + id + " ended ROLLED_BACK");
        // each state it saw is drawn once (a short RAMPING may fall between two reads), the last one ROLLED_BACK
        assertThat(watched.out()).containsPattern("(PLACING|RAMPING)  step").contains("% to v2");
        String lastFrame = watched.out().substring(watched.out().lastIndexOf("rollout " + id + " "));
        assertThat(lastFrame.lines().findFirst().orElse("")).contains("ROLLED_BACK");
        assertThat(watched.out().split("rollout " + id + " ").length - 1)
                .as("frames drawn")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void watchFollowsARolloutToDoneAndExitsZero() throws Exception {
        // a short policy: 50 % held for a minute, gated on the error rate, then 100 %
        Path policy = java.nio.file.Files.writeString(home.resolve("short.json"), """
                {"steps": [{"weight": 50, "hold": "1m"}, {"weight": 100}],
                 "gates": [{"metric": "errorRate", "max": 0.05}], "minRequests": 100,
                 "progressDeadline": "30m", "drainTimeout": "5m"}""");
        Run started = weft(
                HttpApi.ADMIN_TOKEN,
                "rollout",
                "start",
                "--app",
                app,
                "--version",
                "v2",
                "--policy-file",
                policy.toString());
        assertThat(started.code()).as(started.err()).isZero();
        String id = api.get("/api/v1/applications/" + app + "/rollouts")
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asString();
        assertThat(api.get("/api/v1/applications/" + app + "/rollouts/" + id)
                        .json()
                        .get("policy")
                        .get("steps")
                        .size())
                .as("the file's policy, not a preset")
                .isEqualTo(2);
        CompletableFuture<Run> watching = CompletableFuture.supplyAsync(() ->
                weft(HttpApi.ADMIN_TOKEN, "rollout", "status", "--app", app, id, "--watch", "--interval", "PT0.1S"));
        awaitState(id, "RAMPING");

        // both versions serve their share over the whole hold without errors: the gate passes, v2 is promoted
        LoopSupport.advance(clock, api, agents, java.time.Duration.ofSeconds(15));
        report("v1", 100, 1);
        report("v2", 100, 1);
        LoopSupport.advance(clock, api, agents, java.time.Duration.ofSeconds(50));
        report("v1", 100, 1);
        report("v2", 100, 1);
        awaitState(id, "PROMOTED");
        assertThat(watching).isNotDone();

        // the rollback window closes, v1 drains (nothing in flight) and is released: DONE
        LoopSupport.advance(clock, api, agents, java.time.Duration.ofMinutes(11));
        LoopAgent.await(
                "v1 drains",
                () -> "v1"
                        .equals(api.get("/api/v1/applications/" + app + "/rollouts/" + id)
                                .json()
                                .get("draining")
                                .asString()));
        LoopSupport.advance(clock, api, agents, java.time.Duration.ofSeconds(15));
        report("v1", 0, 0);
        LoopSupport.advance(clock, api, agents, java.time.Duration.ofSeconds(1));
        Run watched = watching.get(60, TimeUnit.SECONDS);
        assertThat(watched.code()).as(watched.out() + watched.err()).isZero();
        assertThat(watched.err()).isEmpty();
        assertThat(watched.out()).contains("RAMPING  step", "PROMOTED", "% to v2");
        String lastFrame = watched.out().substring(watched.out().lastIndexOf("rollout " + id + " "));
        assertThat(lastFrame.lines().findFirst().orElse("")).contains("DONE");
        assertThat(api.get("/api/v1/applications/" + app + "/rollouts/" + id)
                        .json()
                        .get("state")
                        .asString())
                .isEqualTo("DONE");
    }

    private void awaitState(String id, String state) {
        LoopAgent.await(
                "rollout " + id + " is " + state,
                () -> state.equals(api.get("/api/v1/applications/" + app + "/rollouts/" + id)
                        .json()
                        .get("state")
                        .asString()));
    }

    /** Every agent running the version reports its components idle over the last 10 s. */
    private void reportIdle(String version) {
        report(version, 0, 0);
    }

    /**
     * Every agent running the version reports load for its components over the last 10 s, observed now: {@code rps}
     * requests per second per component without errors, {@code inFlight} requests in flight each.
     */
    private void report(String version, double rps, double inFlight) {
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
            java.time.Instant now = clock.instant();
            LoadReport.Builder report = LoadReport.newBuilder()
                    .setSequence(SEQUENCE.incrementAndGet())
                    .setObservedAt(Timestamp.newBuilder()
                            .setSeconds(now.getEpochSecond())
                            .setNanos(now.getNano()))
                    .setInterval(Duration.newBuilder().setSeconds(10));
            for (String component : components) {
                report.addComponents(ComponentLoad.newBuilder()
                        .setApplication(app)
                        .setVersion(version)
                        .setComponent(component)
                        .setCpuCores(0.1)
                        .setMemoryMib(128)
                        .setRequestsPerSecond(rps)
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
}
