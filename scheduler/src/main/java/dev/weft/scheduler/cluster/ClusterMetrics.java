package dev.weft.scheduler.cluster;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The cluster's meters: {@code weft.cluster.leader} (1 while this node leads), {@code weft.cluster.epoch} (the epoch
 * of its term, 0 when it follows), {@code weft.cluster.leadership.acquired}, {@code weft.cluster.leadership.lost}
 * tagged with the {@code reason}, {@code weft.cluster.fence.refused} (fenced changes refused on this node),
 * {@code weft.cluster.bus.listening} (1 while the bus's listening connection is up),
 * {@code weft.cluster.bus.reconnects}, {@code weft.cluster.bus.published} and {@code weft.cluster.bus.received} tagged
 * with the {@code topic}, and {@code weft.cluster.bus.failures} (messages that could not be read or whose subscriber
 * threw).
 */
final class ClusterMetrics {

    private final MeterRegistry registry;
    private final Counter acquired;
    private final Map<LeadershipEvent.LossReason, Counter> lost = new EnumMap<>(LeadershipEvent.LossReason.class);
    private final Counter fenceRefused;
    private final Counter reconnects;
    private final Counter failures;
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<String, Counter> received = new ConcurrentHashMap<>();

    ClusterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.acquired = Counter.builder("weft.cluster.leadership.acquired")
                .description("Times this node became leader")
                .register(registry);
        for (LeadershipEvent.LossReason reason : LeadershipEvent.LossReason.values()) {
            lost.put(
                    reason,
                    Counter.builder("weft.cluster.leadership.lost")
                            .description("Times this node stopped being leader, by reason")
                            .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        this.fenceRefused = Counter.builder("weft.cluster.fence.refused")
                .description("Fenced changes refused on this node because its term was no longer current")
                .register(registry);
        this.reconnects = Counter.builder("weft.cluster.bus.reconnects")
                .description("Times the bus's listening connection was opened again after it broke")
                .register(registry);
        this.failures = Counter.builder("weft.cluster.bus.failures")
                .description("Bus messages that could not be read, or whose subscriber threw")
                .register(registry);
    }

    void leadershipGauges(BooleanSupplier leader, LongSupplier epoch) {
        Gauge.builder("weft.cluster.leader", () -> leader.getAsBoolean() ? 1 : 0)
                .description("1 while this control-plane node is the leader")
                .register(registry);
        Gauge.builder("weft.cluster.epoch", epoch::getAsLong)
                .description("The epoch (fencing token) of this node's leadership term; 0 while it follows")
                .register(registry);
    }

    void busGauge(BooleanSupplier listening) {
        Gauge.builder("weft.cluster.bus.listening", () -> listening.getAsBoolean() ? 1 : 0)
                .description("1 while the cluster bus listens for notifications")
                .register(registry);
    }

    void acquired() {
        acquired.increment();
    }

    void lost(LeadershipEvent.LossReason reason) {
        requireNonNull(lost.get(reason)).increment();
    }

    void fenceRefused() {
        fenceRefused.increment();
    }

    void reconnected() {
        reconnects.increment();
    }

    void failed() {
        failures.increment();
    }

    void published(String topic) {
        published
                .computeIfAbsent(
                        topic,
                        t -> Counter.builder("weft.cluster.bus.published")
                                .description(
                                        "Bus messages published on this node (sent when their transaction commits)")
                                .tag("topic", t)
                                .register(registry))
                .increment();
    }

    void received(String topic) {
        received.computeIfAbsent(
                        topic,
                        t -> Counter.builder("weft.cluster.bus.received")
                                .description("Bus messages this node received, from any node")
                                .tag("topic", t)
                                .register(registry))
                .increment();
    }
}
