package dev.weft.scheduler.rollouts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.policy.Durations;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopSupport;
import dev.weft.scheduler.WeftApplication;
import io.grpc.ManagedChannel;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A control plane killed with {@code kill -9} mid-rollout and started again on the same database resumes the rollout
 * at the same step with the hold it had left (the time it was down does not count), without starting the step again
 * or pushing the split again.
 */
class RolloutKillTest {

    private static final String TOKEN = "weft-local-dev-token";

    @TempDir
    Path temp;

    @Test
    void aRolloutResumesAtTheSameStepWithTheSameHoldAfterKillNine() throws Exception {
        Path data = temp.resolve("pg");
        int http = freePort();
        int grpc = freePort();
        List<String> args = List.of(
                "--server.port=" + http,
                "--spring.grpc.server.port=" + grpc,
                "--weft.database.embedded.data-directory=" + data,
                "--weft.agents.lease=10m",
                // a gap between two moves this long would count towards the hold: only the take-over stops the
                // time the control plane was down from counting
                "--weft.rollouts.counted-gap=1m");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        boolean ownGroup = Files.isExecutable(Path.of("/usr/bin/setsid"));
        if (ownGroup) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1",
                WeftApplication.class.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("child.log").toFile())
                .start();
        HttpApi api = new HttpApi(http);
        ManagedChannel channel = null;
        List<LoopAgent> agents = new ArrayList<>();
        try {
            awaitReady(api, child, temp.resolve("child.log"));
            channel = LoopSupport.channel(grpc);
            for (int i = 0; i < 4; i++) {
                agents.add(
                        new LoopAgent(channel, TOKEN, "kill" + i, "zone-" + (i % 2), Map.of("pci", "true"), 8000, 16384)
                                .register());
            }
            String app = LoopSupport.shop(api, "v1");
            LoopSupport.register(
                    api, app, LoopSupport.shopSpec().replace("\"version\": \"v1\"", "\"version\": \"v2\""));
            assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(201);
            LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
            HttpApi.Response started = api.post(
                    "/api/v1/applications/" + app + "/rollouts",
                    "{\"version\": \"v2\", \"policy\": {\"steps\": [{\"weight\": 25, \"hold\": \"5m\"},"
                            + " {\"weight\": 100}]}}");
            assertThat(started.status()).as(started.body()).isEqualTo(201);
            String path = "/api/v1/applications/" + app + "/rollouts/"
                    + started.json().get("id").asLong();
            LoopAgent.await(
                    "ramping",
                    () -> api.get(path).json().get("state").asString().equals("RAMPING"));
            long stepsStarted = count(api, app, "ROLLOUT_STEP_STARTED");
            long splits = count(api, app, "TRAFFIC_SPLIT_CHANGED");
            assertThat(stepsStarted).isEqualTo(1);
            JsonNode beforeKill = api.get(path).json();
            Duration leftBeforeKill = Durations.parse(beforeKill.get("holdLeft").asString());
            long read = System.nanoTime();

            assertThat(new ProcessBuilder(
                                    ownGroup
                                            ? List.of("kill", "-9", "--", "-" + child.pid())
                                            : List.of("kill", "-9", Long.toString(child.pid())))
                            .start()
                            .waitFor())
                    .isZero();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long killedAfter = System.nanoTime() - read;
            Thread.sleep(5_000); // down for a while: that time must not count towards the hold

            // down from the kill until the restart begins (the take-over comes during the start)
            Duration down = Duration.ofNanos(System.nanoTime() - read - killedAfter);
            // until the restarted control plane's first move the view extrapolates from the last one before the
            // kill (the time down included), so the figures are read after a move made since the restart began
            Instant restartedAt = Instant.now();
            try (ConfigurableApplicationContext again =
                    new SpringApplicationBuilder(WeftApplication.class).run(args.toArray(String[]::new))) {
                HttpApi restartedApi = new HttpApi(
                        ((WebServerApplicationContext) again).getWebServer().getPort());
                LoopAgent.await(
                        "the restarted control plane drives the rollout again",
                        () -> Instant.parse(restartedApi
                                        .get(path)
                                        .json()
                                        .get("updatedAt")
                                        .asString())
                                .isAfter(restartedAt));
                JsonNode resumed = restartedApi.get(path).json();
                assertThat(resumed.get("state").asString()).isEqualTo("RAMPING");
                assertThat(resumed.get("step").asInt()).isZero();
                Duration used = Duration.ofMinutes(5)
                        .minus(Durations.parse(resumed.get("holdLeft").asString()));
                Duration wall = Duration.between(
                        Instant.parse(
                                resumed.get("steps").get(0).get("startedAt").asString()),
                        Instant.now());
                System.out.printf(
                        "kill -9 mid-rollout: %s of the hold left before, %s used of %s since the step started,"
                                + " down %d ms%n",
                        leftBeforeKill, used, wall, down.toMillis());
                assertThat(used)
                        .as("the %d ms it was down did not count towards the hold", down.toMillis())
                        .isLessThanOrEqualTo(wall.minus(down).plusSeconds(2))
                        .isGreaterThanOrEqualTo(
                                Duration.ofMinutes(5).minus(leftBeforeKill).minusSeconds(1));
                assertThat(count(restartedApi, app, "ROLLOUT_STEP_STARTED"))
                        .as("the step was not started again")
                        .isEqualTo(stepsStarted);
                assertThat(count(restartedApi, app, "TRAFFIC_SPLIT_CHANGED"))
                        .as("no split pushed again")
                        .isEqualTo(splits);
            }
        } finally {
            agents.forEach(LoopAgent::close);
            if (channel != null) {
                LoopSupport.shutdown(channel);
            }
            child.destroyForcibly();
        }
    }

    private static long count(HttpApi api, String app, String kind) {
        long n = 0;
        for (JsonNode e : api.get("/api/v1/events?application=" + app + "&size=500")
                .json()
                .get("items")) {
            if (e.get("kind").asString().equals(kind)) {
                n++;
            }
        }
        return n;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitReady(HttpApi api, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the control plane exited: " + Files.readString(log));
            }
            try {
                if (api.get("/actuator/health/readiness").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new AssertionError("the control plane did not become ready: " + Files.readString(log));
    }
}
