package dev.weft.scheduler.agents;

import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every {@code weft.agents.sweep-interval}: writes what connected agents' latest messages said in one
 * batch, marks agents whose lease ran out as lost, and releases drained agents that run nothing. Tests
 * call {@link #sweep()} after moving the clock.
 */
@Component
class LeaseSweeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

    private final AgentStore store;
    private final AgentSessions sessions;
    private final AgentOperations operations;
    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final AgentMetrics metrics;
    private final AgentsProperties properties;
    private final Clock clock;

    LeaseSweeper(AgentStore store, AgentSessions sessions, AgentOperations operations, AuditLog auditLog,
                 TransactionTemplate transactions, AgentMetrics metrics, AgentsProperties properties, Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.operations = operations;
        this.auditLog = auditLog;
        this.transactions = transactions;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${weft.agents.sweep-interval:1s}", initialDelayString = "${weft.agents.sweep-interval:1s}")
    void scheduledSweep() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // the next sweep tries again; a failing database must not stop the schedule
            log.warn("Agent lease sweep failed: {}", e.toString());
        }
    }

    /** One sweep; returns the ids of agents it marked lost. */
    List<String> sweep() {
        writeLiveness();
        List<String> lost = expireLeases(clock.instant());
        for (String id : store.drainingLive()) {
            operations.releaseIfEmpty(id);
        }
        return lost;
    }

    void writeLiveness() {
        List<AgentStore.Liveness> batch = new ArrayList<>();
        for (AgentSession session : sessions.all()) {
            AgentStore.Liveness live = session.takeLiveness(properties.lease());
            if (live != null) {
                batch.add(live);
            }
        }
        store.writeLiveness(batch);
    }

    private List<String> expireLeases(Instant now) {
        List<String> lost = transactions.execute(tx -> {
            List<String> ids = store.expireLeases(now);
            for (String id : ids) {
                auditLog.record(AuditEvent.ofAgent("AGENT_LOST", id, "Agent '" + id + "' lost: nothing heard from it for "
                        + properties.lease().toSeconds() + "s; its replicas are re-placed", Map.of()));
            }
            return ids;
        });
        metrics.leaseExpired(lost.size());
        for (String id : lost) {
            sessions.get(id).ifPresent(session -> {
                sessions.remove(session);
                session.fail(AgentError.LEASE_EXPIRED.status("lease of agent '" + id + "' expired: nothing received for "
                        + properties.lease().toSeconds() + "s; reconnect with a hello"));
            });
        }
        return lost;
    }
}
