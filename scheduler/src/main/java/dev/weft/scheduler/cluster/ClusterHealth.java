package dev.weft.scheduler.cluster;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code cluster} health component: up while the bus listens (this node's agents get changes made on other
 * nodes), with this node's id, its role ({@code LEADER} or {@code FOLLOWER}) and the epoch of its term as details.
 */
final class ClusterHealth implements HealthIndicator {

    private final Leadership leadership;
    private final ClusterBus bus;

    ClusterHealth(Leadership leadership, ClusterBus bus) {
        this.leadership = leadership;
        this.bus = bus;
    }

    @Override
    public Health health() {
        boolean listening = bus.isListening();
        return (listening ? Health.up() : Health.down())
                .withDetail("node", leadership.nodeId())
                .withDetail("role", leadership.isLeader() ? "LEADER" : "FOLLOWER")
                .withDetail("epoch", leadership.epochOrZero())
                .withDetail("busListening", listening)
                .build();
    }
}
