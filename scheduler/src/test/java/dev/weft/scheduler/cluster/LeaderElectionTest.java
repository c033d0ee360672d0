package dev.weft.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Two control-plane nodes share one database: exactly one leads, and when it dies (its lock connection dropped, or
 * the node stopped) the other takes over within 5 s, with a new epoch recorded as {@code LEADER_ELECTED}.
 */
class LeaderElectionTest {

    static TwoNodes nodes;

    @BeforeAll
    static void twoNodes() {
        nodes = TwoNodes.shared();
    }

    @BeforeEach
    void bothRunning() {
        nodes.ensureRunning();
        nodes.awaitLeader();
    }

    @Test
    void twoNodesStartingAtOnceElectExactlyOneLeader() {
        assertThat(nodes.leadersAtStart()).hasSize(1);
        assertThat(nodes.jdbc()
                        .sql("select count(*) from events where kind = 'LEADER_ELECTED' and details->>'epoch' = '1'")
                        .query(Long.class)
                        .single())
                .as("elections with epoch 1")
                .isEqualTo(1);
        TwoNodes.Node leader = nodes.awaitLeader();
        Leadership.Leader recorded =
                nodes.other(leader).leadership().currentLeader().orElseThrow();
        assertThat(recorded.nodeId()).isEqualTo(leader.name());
        assertThat(recorded.epoch())
                .isEqualTo(leader.leadership().term().orElseThrow().epoch());
    }

    @Test
    void whenBothLoseTheirLockConnectionsAtOnceExactlyOneTakesOver() {
        long before = epoch();
        // the follower has a lock connection too: it tries for the lock with it every retry interval
        assertThat(nodes.jdbc()
                        .sql("select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity "
                                + "where application_name in (?, ?)")
                        .params(
                                DedicatedConnections.applicationName(
                                        "leader", nodes.a().name()),
                                DedicatedConnections.applicationName(
                                        "leader", nodes.b().name()))
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);

        TwoNodes.await("a new epoch is taken", () -> epoch() > before);
        TwoNodes.Node leader = nodes.awaitLeader();
        assertThat(leader.leadership().term().orElseThrow().epoch()).isEqualTo(before + 1);
        assertThat(nodes.other(leader).leadership().isLeader()).isFalse();
        assertThat(epoch()).as("one election, not two").isEqualTo(before + 1);
        assertThat(nodes.jdbc()
                        .sql("select count(*) from events where kind = 'LEADER_ELECTED' and details->>'epoch' = ?")
                        .param(Long.toString(before + 1))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void leaderWhoseLockConnectionDropsIsReplacedWithinFiveSecondsAndStepsDown() {
        TwoNodes.Node leader = nodes.awaitLeader();
        TwoNodes.Node other = nodes.other(leader);
        long before = leader.leadership().term().orElseThrow().epoch();
        double lostBefore = lost(leader, "connection_lost");

        long killed = System.nanoTime();
        leader.killLockConnection();
        TwoNodes.await("the other node leads", () -> other.leadership().isLeader());
        Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
        TwoNodes.await(
                "the old leader knows it lost", () -> !leader.leadership().isLeader());

        assertThat(takeover).isLessThan(Duration.ofSeconds(5));
        Term term = other.leadership().term().orElseThrow();
        assertThat(term.epoch()).isEqualTo(before + 1);
        assertThat(elected(other.name(), term.epoch())).isEqualTo(1);
        assertThat(lost(leader, "connection_lost")).isEqualTo(lostBefore + 1);
        assertThat(gauge(other, "weft.cluster.leader")).isEqualTo(1);
        assertThat(gauge(other, "weft.cluster.epoch")).isEqualTo(term.epoch());
        assertThat(gauge(leader, "weft.cluster.leader")).isZero();

        Health health = other.bean(ClusterHealth.class).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails())
                .containsAllEntriesOf(Map.of("node", other.name(), "role", "LEADER", "epoch", term.epoch()));
        assertThat(leader.bean(ClusterHealth.class).health().getDetails()).containsEntry("role", "FOLLOWER");
    }

    @Test
    void stoppedLeaderHandsOverWithinFiveSeconds() {
        TwoNodes.Node leader = nodes.awaitLeader();
        TwoNodes.Node other = nodes.other(leader);
        long before = leader.leadership().term().orElseThrow().epoch();

        // a stopping leader ends its term before it releases the lock, so the two terms never overlap
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicBoolean overlapped = new AtomicBoolean();
        Leadership stoppingNode = leader.leadership();
        Leadership otherNode = other.leadership();
        Thread watcher = Thread.ofPlatform().start(() -> {
            while (watching.get()) {
                // the other first: a term it began after the stopping node's belief was read would not be an overlap
                if (otherNode.isLeader() && stoppingNode.isLeader()) {
                    overlapped.set(true);
                }
                LockSupport.parkNanos(100_000L);
            }
        });
        long stopping = System.nanoTime();
        Duration takeover;
        try {
            leader.stop();
            TwoNodes.await("the other node leads", otherNode::isLeader);
            takeover = Duration.ofNanos(System.nanoTime() - stopping);
        } finally {
            watching.set(false);
            join(watcher);
        }

        assertThat(overlapped).as("both nodes believed they led at once").isFalse();

        assertThat(takeover).isLessThan(Duration.ofSeconds(5));
        assertThat(other.leadership().term().orElseThrow().epoch()).isEqualTo(before + 1);
        assertThat(elected(other.name(), before + 1)).isEqualTo(1);
        assertThat(nodes.jdbc()
                        .sql("select count(*) from events where kind = 'LEADER_LOST' and details->>'node' = ? "
                                + "and details->>'epoch' = ? and details->>'reason' = 'SHUTDOWN'")
                        .params(leader.name(), Long.toString(before))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    private static long epoch() {
        return nodes.jdbc()
                .sql("select epoch from cluster_leadership")
                .query(Long.class)
                .single();
    }

    private static long elected(String node, long epoch) {
        return nodes.jdbc()
                .sql("select count(*) from events where kind = 'LEADER_ELECTED' and details->>'node' = ? "
                        + "and details->>'epoch' = ? and message like ?")
                .params(node, Long.toString(epoch), "%'" + node + "' became the leader with epoch " + epoch + "%")
                .query(Long.class)
                .single();
    }

    private static double lost(TwoNodes.Node node, String reason) {
        return node.bean(MeterRegistry.class)
                .get("weft.cluster.leadership.lost")
                .tag("reason", reason)
                .counter()
                .count();
    }

    private static double gauge(TwoNodes.Node node, String name) {
        return node.bean(MeterRegistry.class).get(name).gauge().value();
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
