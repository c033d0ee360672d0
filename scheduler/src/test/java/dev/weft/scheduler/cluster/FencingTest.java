package dev.weft.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.IllegalTransactionStateException;

/**
 * Every change a leader makes is fenced by its epoch: a leader paused while another node took over cannot apply
 * anything when it resumes, and what the new leader applies is applied once. The "change" here is an audit event
 * recorded in the fenced transaction, as a plan would be stored.
 */
class FencingTest {

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
    void leaderPausedBeforeItsFenceCheckCannotApplyOnceAnotherNodeTookOver() throws Exception {
        TwoNodes.Node paused = nodes.awaitLeader();
        TwoNodes.Node other = nodes.other(paused);
        Term term = paused.leadership().term().orElseThrow();
        String change = "plan " + UUID.randomUUID();
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);

        // the leader decides to apply a change, then stalls (a GC pause, a slow call) before it writes
        CompletableFuture<Void> stalled =
                CompletableFuture.runAsync(() -> paused.transactions().executeWithoutResult(tx -> {
                    working.countDown();
                    await(resume);
                    term.check();
                    apply(paused, change);
                }));
        assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();

        paused.killLockConnection();
        TwoNodes.await("the other node leads", () -> other.leadership().isLeader());
        other.leadership().runFenced(() -> apply(other, change));
        resume.countDown();

        assertThatThrownBy(stalled::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(FencedException.class)
                .hasMessageContaining("node '" + paused.name() + "' no longer leads")
                .hasMessageContaining("epoch " + term.epoch());
        assertThat(applied(change)).as("times the change was applied").isEqualTo(1);
        assertThat(appliedBy(change, other)).isEqualTo(1);
    }

    @Test
    void leaderPausedInsideItsFencedTransactionIsCutOffSoTheNextOneTakesOverAndItsChangeRollsBack() throws Exception {
        TwoNodes.Node paused = nodes.awaitLeader();
        TwoNodes.Node other = nodes.other(paused);
        Term term = paused.leadership().term().orElseThrow();
        String change = "plan " + UUID.randomUUID();
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);

        // this one passed the fence (and so holds the epoch row) before it stalled
        CompletableFuture<Void> stalled =
                CompletableFuture.runAsync(() -> paused.transactions().executeWithoutResult(tx -> {
                    term.check();
                    checked.countDown();
                    await(resume);
                    apply(paused, change);
                }));
        assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();

        long killed = System.nanoTime();
        paused.killLockConnection();
        // the other node waits weft.cluster.fence-wait (1 s) for the stalled transaction, then ends its session
        TwoNodes.await("the other node leads", () -> other.leadership().isLeader());
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(5));
        other.leadership().runFenced(() -> apply(other, change));
        resume.countDown();

        assertThatThrownBy(stalled::get).isInstanceOf(ExecutionException.class);
        assertThat(applied(change)).as("times the change was applied").isEqualTo(1);
        assertThat(appliedBy(change, other)).isEqualTo(1);
        assertThatThrownBy(() -> term.runFenced(() -> apply(paused, change))).isInstanceOf(FencedException.class);
        assertThat(applied(change)).isEqualTo(1);
    }

    @Test
    void leaderWhoseEpochWasSupersededRefusesEveryChangeAndStepsDown() {
        TwoNodes.Node leader = nodes.awaitLeader();
        Term term = leader.leadership().term().orElseThrow();
        String change = "plan " + UUID.randomUUID();

        // as if another node had been elected while this one still believes it leads
        nodes.jdbc()
                .sql("update cluster_leadership set epoch = epoch + 1, leader_node = 'intruder', elected_at = now()")
                .update();

        assertThatThrownBy(() -> term.runFenced(() -> apply(leader, change)))
                .isInstanceOf(FencedException.class)
                .hasMessageContaining("epoch " + term.epoch());
        assertThat(applied(change)).isZero();
        TwoNodes.await("the superseded leader steps down", () -> !term.isCurrent());
        TwoNodes.Node next = nodes.awaitLeader();
        assertThat(next.leadership().term().orElseThrow().epoch()).isEqualTo(term.epoch() + 2);
    }

    @Test
    void followerAndChecksOutsideATransactionAreRefused() {
        TwoNodes.Node leader = nodes.awaitLeader();
        TwoNodes.Node follower = nodes.other(leader);
        String change = "plan " + UUID.randomUUID();

        assertThatThrownBy(() -> follower.leadership().runFenced(() -> apply(follower, change)))
                .isInstanceOfSatisfying(FencedException.class, refused -> {
                    assertThat(refused.code()).isEqualTo(ClusterError.NOT_LEADER);
                    assertThat(refused.currentLeader()).isEqualTo(leader.name());
                })
                .hasMessageContaining(
                        "node '" + follower.name() + "' is not the leader; node '" + leader.name() + "' leads");
        assertThatThrownBy(() -> leader.leadership().term().orElseThrow().check())
                .isInstanceOf(IllegalTransactionStateException.class);
        assertThat(applied(change)).isZero();
        assertThat(leader.leadership().fenced(() -> {
                    apply(leader, change);
                    return "applied";
                }))
                .isEqualTo("applied");
        assertThat(applied(change)).isEqualTo(1);
    }

    private static void apply(TwoNodes.Node node, String change) {
        node.bean(AuditLog.class)
                .record(new AuditEvent("TEST_CHANGE_APPLIED", null, null, null, change, Map.of("node", node.name())));
    }

    private static long applied(String change) {
        return nodes.jdbc()
                .sql("select count(*) from events where kind = 'TEST_CHANGE_APPLIED' and message = ?")
                .param(change)
                .query(Long.class)
                .single();
    }

    private static long appliedBy(String change, TwoNodes.Node node) {
        return nodes.jdbc()
                .sql("select count(*) from events where kind = 'TEST_CHANGE_APPLIED' and message = ? "
                        + "and details->>'node' = ?")
                .params(change, node.name())
                .query(Long.class)
                .single();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
