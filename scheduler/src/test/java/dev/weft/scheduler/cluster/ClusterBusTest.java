package dev.weft.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.IllegalTransactionStateException;

/**
 * A change announced on the bus inside a transaction reaches the subscribers of both nodes once it commits, within a
 * second, in commit order, and never when it rolls back; a node whose listening connection broke listens again and
 * tells its subscribers to resynchronise.
 */
class ClusterBusTest {

    /** A message as features send them: what changed, by id. */
    record VersionChanged(String version, int sequence) {}

    static final Topic<VersionChanged> TOPIC = Topic.of("test.version-changed", VersionChanged.class);

    static TwoNodes nodes;

    @BeforeAll
    static void twoNodes() {
        nodes = TwoNodes.shared();
    }

    @BeforeEach
    void bothListening() {
        nodes.ensureRunning();
        for (TwoNodes.Node node : nodes.nodes()) {
            TwoNodes.await(node + " listens", () -> node.bus().isListening());
        }
    }

    /** Collects the messages about {@code version} alone, so a late message of an earlier test does not count. */
    private static java.util.function.Consumer<VersionChanged> only(
            String version, BlockingQueue<VersionChanged> queue) {
        return message -> {
            if (message.version().equals(version)) {
                queue.add(message);
            }
        };
    }

    @Test
    void messagePublishedInATransactionReachesBothNodesWithinASecondOfTheCommit() throws InterruptedException {
        BlockingQueue<VersionChanged> onA = new LinkedBlockingQueue<>();
        BlockingQueue<VersionChanged> onB = new LinkedBlockingQueue<>();
        String version = "v-" + UUID.randomUUID();
        try (Subscription a = nodes.a().bus().subscribe(TOPIC, only(version, onA));
                Subscription b = nodes.b().bus().subscribe(TOPIC, only(version, onB))) {
            nodes.a()
                    .transactions()
                    .executeWithoutResult(tx -> nodes.a().bus().publish(TOPIC, new VersionChanged(version, 1)));
            long committed = System.nanoTime();

            VersionChanged onOtherNode = onB.poll(5, TimeUnit.SECONDS);
            Duration latency = Duration.ofNanos(System.nanoTime() - committed);
            assertThat(onOtherNode).isEqualTo(new VersionChanged(version, 1));
            assertThat(latency).isLessThan(Duration.ofSeconds(1));
            assertThat(onA.poll(1, TimeUnit.SECONDS))
                    .as("the publishing node's own subscriber")
                    .isEqualTo(new VersionChanged(version, 1));
        }
    }

    @Test
    void messageOfATransactionThatRolledBackIsNeverSent() throws InterruptedException {
        BlockingQueue<VersionChanged> onB = new LinkedBlockingQueue<>();
        String version = "v-" + UUID.randomUUID();
        try (Subscription b = nodes.b().bus().subscribe(TOPIC, only(version, onB))) {
            assertThatThrownBy(() -> nodes.a().transactions().executeWithoutResult(tx -> {
                        nodes.a().bus().publish(TOPIC, new VersionChanged(version, 1));
                        throw new IllegalStateException("the change failed");
                    }))
                    .hasMessage("the change failed");
            nodes.a()
                    .transactions()
                    .executeWithoutResult(tx -> nodes.a().bus().publish(TOPIC, new VersionChanged(version, 2)));

            // notifications arrive in commit order: had the first been sent, it would come before the second
            assertThat(onB.poll(5, TimeUnit.SECONDS)).isEqualTo(new VersionChanged(version, 2));
            assertThat(onB).isEmpty();
        }
    }

    @Test
    void eachSubscriberGetsItsTopicInCommitOrder() throws InterruptedException {
        BlockingQueue<VersionChanged> onB = new LinkedBlockingQueue<>();
        String version = "v-" + UUID.randomUUID();
        try (Subscription b = nodes.b().bus().subscribe(TOPIC, only(version, onB))) {
            for (int i = 1; i <= 50; i++) {
                int sequence = i;
                // alternate publishers: the order is the database's commit order, whichever node commits
                TwoNodes.Node publisher = i % 2 == 0 ? nodes.a() : nodes.b();
                publisher
                        .transactions()
                        .executeWithoutResult(
                                tx -> publisher.bus().publish(TOPIC, new VersionChanged(version, sequence)));
            }
            List<Integer> received = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                VersionChanged message = onB.poll(5, TimeUnit.SECONDS);
                assertThat(message).as("message %d", i).isNotNull();
                received.add(message.sequence());
            }
            assertThat(received).isSorted().hasSize(50).doesNotHaveDuplicates();
        }
    }

    @Test
    void messageAboveWhatNotifyTakesIsRefusedNamingTheLimitAndNothingIsSent() {
        String tooLong = "x".repeat(ClusterBus.MAX_PAYLOAD_BYTES);
        assertThatThrownBy(() -> nodes.a()
                        .transactions()
                        .executeWithoutResult(tx -> nodes.a().bus().publish(TOPIC, new VersionChanged(tooLong, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic 'test.version-changed'")
                .hasMessageContaining("above the 7999")
                .hasMessageContaining("send ids");
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> nodes.a().bus().publish(TOPIC, new VersionChanged("v1", 1)))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void nodeWhoseListeningConnectionBrokeListensAgainAndTellsSubscribersToResynchronise() throws InterruptedException {
        BlockingQueue<VersionChanged> onB = new LinkedBlockingQueue<>();
        AtomicInteger resyncs = new AtomicInteger();
        String version = "v-" + UUID.randomUUID();
        try (Subscription b = nodes.b().bus().subscribe(TOPIC, only(version, onB), resyncs::incrementAndGet)) {
            nodes.b().killBusConnection();
            TwoNodes.await("node-b resynchronises", () -> resyncs.get() == 1);
            assertThat(nodes.b().bus().isListening()).isTrue();

            nodes.a()
                    .transactions()
                    .executeWithoutResult(tx -> nodes.a().bus().publish(TOPIC, new VersionChanged(version, 1)));
            assertThat(onB.poll(5, TimeUnit.SECONDS)).isEqualTo(new VersionChanged(version, 1));
        }
    }
}
