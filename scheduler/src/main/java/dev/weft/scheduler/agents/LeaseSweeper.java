package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    LeaseSweeper(
            AgentStore store,
            AgentSessions sessions,
            AgentOperations operations,
            AuditLog auditLog,
            TransactionTemplate transactions,
            AgentMetrics metrics,
            AgentsProperties properties,
            Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.operations = operations;
        this.auditLog = auditLog;
        this.transactions = transactions;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(
            fixedDelayString = "${weft.agents.sweep-interval:1s}",
            initialDelayString = "${weft.agents.sweep-interval:1s}")
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
            // a drain ordered through another control-plane node reaches the stream held here
            sessions.get(id).ifPresent(session -> session.startDraining("operator request"));
            operations.releaseIfEmpty(id);
        }
        return lost;
    }

    /**
     * Writes what changed for the streams open here. A row that no longer belongs to its stream (another node
     * marked the agent lost, an operator revoked it, a newer stream took over) ends that stream, so the agent
     * learns at once instead of streaming into the void; a row that failed is retried by the next sweep.
     */
    void writeLiveness() {
        List<AgentStore.Liveness> batch = new ArrayList<>();
        Map<String, AgentSession> byId = new HashMap<>();
        for (AgentSession session : sessions.all()) {
            AgentStore.Liveness live = session.liveness(properties.lease());
            if (live != null) {
                batch.add(live);
                byId.put(live.id(), session);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        AgentStore.LivenessOutcome outcome = store.writeLiveness(batch);
        for (AgentStore.Liveness live : outcome.written()) {
            requireNonNull(byId.get(live.id())).written(live);
        }
        metrics.livenessWriteFailed(outcome.failed().size());
        for (AgentStore.Liveness live : outcome.stale()) {
            endStale(requireNonNull(byId.get(live.id())));
        }
    }

    private void endStale(AgentSession session) {
        Optional<AgentRow> row = store.find(session.agentId());
        if (!sessions.remove(session)) {
            return; // already replaced or ended here
        }
        String id = session.agentId();
        if (row.isEmpty()) {
            session.fail(AgentError.LEASE_EXPIRED.status(
                    "agent '" + id + "' was marked lost by the control plane; reconnect with a hello"));
            return;
        }
        switch (row.get().state()) {
            // still connected, with another credential: a newer stream, held by another node
            case CONNECTED ->
                session.fail(AgentError.SUPERSEDED.status("a newer stream of agent '" + id + "' replaced this one"));
            case DISCONNECTED, LOST ->
                session.fail(AgentError.LEASE_EXPIRED.status(
                        "agent '" + id + "' was marked lost by the control plane; reconnect with a hello"));
            case REVOKED ->
                session.fail(AgentError.AGENT_REVOKED.status("agent '" + id + "' was revoked by an operator"));
            case RELEASED -> session.complete(AgentSession.drainMessage("drained: nothing left to run", true));
        }
    }

    private List<String> expireLeases(Instant now) {
        Set<String> liveHere = new HashSet<>();
        for (AgentSession session : sessions.all()) {
            if (session.liveAt(now, properties.lease())) {
                liveHere.add(session.agentId());
            }
        }
        List<AgentStore.Expired> expired = transactions.execute(tx -> {
            List<AgentStore.Expired> marked = store.expireLeases(now, liveHere);
            for (AgentStore.Expired agent : marked) {
                String id = agent.id();
                auditLog.record(AuditEvent.ofAgent(
                        "AGENT_LOST",
                        id,
                        "Agent '" + id + "' lost: nothing heard from it for "
                                + properties.lease().toSeconds() + "s; its replicas are re-placed",
                        Map.of()));
            }
            return marked;
        });
        metrics.leaseExpired(expired.size());
        List<String> lost = new ArrayList<>(expired.size());
        for (AgentStore.Expired agent : expired) {
            lost.add(agent.id());
            // only the stream that held the expired lease: a hello may have replaced it since the update
            if (agent.credentialHash() != null) {
                sessions.get(agent.id(), agent.credentialHash()).ifPresent(session -> {
                    if (sessions.remove(session)) {
                        session.fail(AgentError.LEASE_EXPIRED.status(
                                "lease of agent '" + agent.id() + "' expired: nothing received for "
                                        + properties.lease().toSeconds() + "s; reconnect with a hello"));
                    }
                });
            }
        }
        return lost;
    }
}
