package dev.weft.scheduler.rollouts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.rollout.policy.Durations;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopSupport;
import dev.weft.scheduler.cluster.TwoNodes;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A rollout in flight survives its leader: on two control-plane nodes sharing one PostgreSQL ({@link TwoNodes}), the
 * leader is stopped mid-step and the other node takes it over; then the whole control plane is stopped and started
 * again. Each time the rollout resumes at the same step with the hold it had left (the time no node drove it does not
 * count), no step is started twice and no split is pushed again.
 */
class RolloutFailoverTest {

    static TwoNodes nodes;

    final List<ManagedChannel> channels = new ArrayList<>();
    final List<LoopAgent> agents = new ArrayList<>();

    @BeforeAll
    static void twoNodes() {
        // a gap between two moves this long would count towards the hold: only the take-over keeps the time no node
        // drove the rollout from counting (the shared fixture's 1h sweep would also keep the follower's agents from
        // ever being written as heard)
        nodes = TwoNodes.start(
                "--weft.rollouts.counted-gap=1m", "--weft.agents.sweep-interval=200ms", "--weft.agents.lease=10m");
    }

    @AfterAll
    static void stopNodes() {
        nodes.close();
    }

    @BeforeEach
    void bothRunning() {
        nodes.ensureRunning();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        agents.forEach(LoopAgent::close);
        for (ManagedChannel channel : channels) {
            LoopSupport.shutdown(channel);
        }
        nodes.ensureRunning();
    }

    private long count(String app, String kind) {
        return nodes.jdbc()
                .sql("select count(*) from events where application_name = ? and kind = ?")
                .params(app, kind)
                .query(Long.class)
                .single();
    }

    private long splitGeneration(String app) {
        return nodes.jdbc()
                .sql("select t.generation from traffic_split_pushes t join applications a on a.id = t.application_id"
                        + " where a.name = ?")
                .param(app)
                .query(Long.class)
                .single();
    }

    private static JsonNode rollout(HttpApi api, String app, long id) {
        HttpApi.Response r = api.get("/api/v1/applications/" + app + "/rollouts/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static Duration holdLeft(HttpApi api, String app, long id) {
        return Durations.parse(rollout(api, app, id).get("holdLeft").asString());
    }

    @Test
    void aFailoverAndARestartMidStepResumeTheSameStepWithTheHoldItHadLeft() throws InterruptedException {
        TwoNodes.Node leader = nodes.awaitLeader();
        TwoNodes.Node follower = nodes.other(leader);
        ManagedChannel channel = LoopSupport.channel(leader.grpcPort());
        channels.add(channel);
        for (int i = 0; i < 4; i++) {
            agents.add(new LoopAgent(
                            channel,
                            TwoNodes.BOOTSTRAP_TOKEN,
                            LoopSupport.unique("fail" + i),
                            "zone-" + (i % 2),
                            Map.of("pci", "true"),
                            8000,
                            16384)
                    .register());
        }
        HttpApi api = leader.http();
        String app = LoopSupport.shop(api, "v1");
        LoopSupport.register(api, app, LoopSupport.shopSpec().replace("\"version\": \"v1\"", "\"version\": \"v2\""));
        assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(201);
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");

        // started through the follower: any node takes operators' requests
        HttpApi.Response started = follower.http()
                .post(
                        "/api/v1/applications/" + app + "/rollouts",
                        "{\"version\": \"v2\", \"policy\": {\"steps\": [{\"weight\": 25, \"hold\": \"2m\"},"
                                + " {\"weight\": 100}]}}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        long id = started.json().get("id").asLong();
        LoopAgent.await(
                "ramping", () -> rollout(api, app, id).get("state").asString().equals("RAMPING"));
        assertThat(count(app, "ROLLOUT_STEP_STARTED")).isEqualTo(1);
        long generation = splitGeneration(app);

        // the leader goes away mid-step: the other node takes the rollout over
        long beforeStop = System.nanoTime();
        Duration leftBeforeStop = holdLeft(api, app, id);
        leader.stop();
        TwoNodes.Node next = nodes.awaitLeader();
        assertThat(next).isSameAs(follower);
        HttpApi nextApi = next.http();
        LoopAgent.await(
                "the new leader drives the rollout",
                () -> rollout(nextApi, app, id)
                                        .get("updatedAt")
                                        .asString()
                                        .compareTo(
                                                started.json().get("updatedAt").asString())
                                > 0
                        || count(app, "ROLLOUT_STEP_STARTED") > 1);
        JsonNode resumed = rollout(nextApi, app, id);
        assertThat(resumed.get("state").asString()).isEqualTo("RAMPING");
        assertThat(resumed.get("step").asInt()).isZero();
        Duration ranSince = Duration.ofNanos(System.nanoTime() - beforeStop);
        assertThat(holdLeft(nextApi, app, id))
                .as("at most the time since the stop has passed, never the whole hold again")
                .isLessThanOrEqualTo(leftBeforeStop.plusSeconds(1))
                .isGreaterThanOrEqualTo(leftBeforeStop.minus(ranSince).minusSeconds(2));
        assertThat(count(app, "ROLLOUT_STEP_STARTED"))
                .as("no step started twice")
                .isEqualTo(1);
        assertThat(splitGeneration(app)).as("no split pushed again").isEqualTo(generation);

        // the whole control plane stops for ten seconds and starts again: the ten seconds do not count
        Duration leftBeforeOutage = holdLeft(nextApi, app, id);
        long stopping = System.nanoTime();
        next.stop();
        Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);
        Thread.sleep(10_000); // the outage the hold must not count
        long restarted = System.nanoTime();
        leader.start();
        TwoNodes.Node again = nodes.awaitLeader();
        HttpApi againApi = again.http();
        // until the new leader's first move the view extrapolates from the last one (the outage included): wait for it
        Instant restartedAt = Instant.now()
                .minusMillis(Duration.ofNanos(System.nanoTime() - restarted).toMillis());
        LoopAgent.await(
                "the restarted leader took the rollout over",
                () -> Instant.parse(rollout(againApi, app, id).get("updatedAt").asString())
                        .isAfter(restartedAt));
        JsonNode back = rollout(againApi, app, id);
        Duration used =
                Duration.ofMinutes(2).minus(Durations.parse(back.get("holdLeft").asString()));
        Duration wall = Duration.between(
                Instant.parse(back.get("steps").get(0).get("startedAt").asString()), Instant.now());
        Duration down = Duration.ofNanos(restarted - stopping).minus(stopped);
        assertThat(used)
                .as(
                        "the %d ms no node ran did not count towards the hold (%s left before)",
                        down.toMillis(), leftBeforeOutage)
                .isLessThanOrEqualTo(wall.minus(down).plusSeconds(2))
                .isGreaterThanOrEqualTo(
                        Duration.ofMinutes(2).minus(leftBeforeOutage).minusSeconds(1));
        assertThat(rollout(againApi, app, id).get("step").asInt()).isZero();
        assertThat(count(app, "ROLLOUT_STEP_STARTED")).isEqualTo(1);
        assertThat(splitGeneration(app)).isEqualTo(generation);

        // and it goes on from there: promoted once, one push for it
        HttpApi.Response promoted = againApi.post("/api/v1/applications/" + app + "/rollouts/" + id + "/promote", "");
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(promoted.json().get("state").asString()).isEqualTo("PROMOTED");
        LoopAgent.await("the promotion is pushed", () -> splitGeneration(app) == generation + 1);
        assertThat(count(app, "ROLLOUT_PROMOTED")).isEqualTo(1);
        JsonNode violations =
                againApi.get("/api/v1/applications/" + app + "/violations").json();
        assertThat(violations.get("totalCalls").asLong()).isZero();
        againApi.post("/api/v1/applications/" + app + "/rollouts/" + id + "/rollback", "");
    }
}
