package dev.weft.scheduler.agents;

import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.system.WeftException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What operators do to agents (cordon, drain, revoke) and the release of a drained agent. Each change
 * is one transaction with its audit event and a cluster-bus message ({@link AgentFanOut}); the agent hears about it
 * on its stream after the commit, whichever control-plane node holds that stream.
 */
@Service
class AgentOperations {

    private final AgentStore store;
    private final AgentSessions sessions;
    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final AgentsProperties properties;
    private final Clock clock;
    private final AgentFanOut fanOut;

    AgentOperations(
            AgentStore store,
            AgentSessions sessions,
            AuditLog auditLog,
            TransactionTemplate transactions,
            AgentsProperties properties,
            Clock clock,
            AgentFanOut fanOut) {
        this.fanOut = fanOut;
        this.store = store;
        this.sessions = sessions;
        this.auditLog = auditLog;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    AgentRow cordon(String id, boolean cordoned) {
        AgentRow row = transactions.execute(tx -> {
            AgentRow current = operable(id);
            // uncordon returns the agent to service, which also ends a drain
            store.setFlags(id, cordoned, cordoned && current.draining());
            auditLog.record(AuditEvent.ofAgent(
                    cordoned ? "AGENT_CORDONED" : "AGENT_UNCORDONED",
                    id,
                    "Agent '" + id + "' "
                            + (cordoned
                                    ? "cordoned: it gets no new replicas"
                                    : "uncordoned: it takes new replicas again"),
                    Map.of()));
            fanOut.changed(id);
            return store.find(id).orElseThrow();
        });
        if (!cordoned) {
            sessions.get(id).ifPresent(session -> session.draining(false));
        }
        return row;
    }

    AgentRow drain(String id) {
        AgentRow before = transactions.execute(tx -> {
            AgentRow current = operable(id);
            if (!current.draining()) {
                store.setFlags(id, true, true);
                auditLog.record(AuditEvent.ofAgent(
                        "AGENT_DRAINING",
                        id,
                        "Agent '" + id + "' is draining: its replicas move elsewhere, then it is released",
                        Map.of()));
                fanOut.changed(id);
            }
            return current;
        });
        if (!before.draining()) {
            sessions.get(id).ifPresent(session -> session.startDraining("operator request"));
        }
        releaseIfEmpty(id);
        return store.find(id).orElseThrow();
    }

    AgentRow revoke(String id) {
        AgentRow row = transactions.execute(tx -> {
            AgentRow current = store.lock(id).orElseThrow(() -> notFound(id));
            if (current.state() != AgentState.REVOKED) {
                store.revoke(id, clock.instant());
                auditLog.record(AuditEvent.ofAgent(
                        "AGENT_REVOKED",
                        id,
                        "Agent '" + id + "' revoked: it may never connect again and its replicas are re-placed",
                        Map.of()));
                fanOut.changed(id);
            }
            return store.find(id).orElseThrow();
        });
        sessions.get(id).ifPresent(session -> {
            sessions.remove(session);
            session.fail(AgentError.AGENT_REVOKED.status("agent '" + id + "' was revoked by an operator"));
        });
        sessions.forgetAllowance(id);
        return row;
    }

    /** Releases a draining agent that runs nothing and is assigned nothing; true if it did. */
    boolean releaseIfEmpty(String id) {
        Optional<AgentSession> session = sessions.get(id);
        Boolean released = transactions.execute(tx -> {
            Optional<AgentRow> row = store.lock(id);
            if (row.isEmpty()
                    || !row.get().draining()
                    || !(row.get().state() == AgentState.CONNECTED || row.get().state() == AgentState.DISCONNECTED)) {
                return false;
            }
            int running = session.map(s -> s.replicas().size())
                    .orElse(row.get().replicas().size());
            if (running > 0 || store.assignedReplicas(id) > 0) {
                return false;
            }
            store.setState(id, AgentState.RELEASED, clock.instant());
            auditLog.record(
                    AuditEvent.ofAgent("AGENT_RELEASED", id, "Agent '" + id + "' drained and released", Map.of()));
            fanOut.changed(id);
            return true;
        });
        if (Boolean.TRUE.equals(released)) {
            session.ifPresent(s -> {
                sessions.remove(s);
                s.complete(AgentSession.drainMessage("drained: nothing left to run", true));
            });
            sessions.forgetAllowance(id);
            return true;
        }
        return false;
    }

    java.time.Duration lease() {
        return properties.lease();
    }

    AgentRow get(String id) {
        return store.find(id).orElseThrow(() -> notFound(id));
    }

    private AgentRow operable(String id) {
        AgentRow current = store.lock(id).orElseThrow(() -> notFound(id));
        if (current.state() == AgentState.REVOKED) {
            throw new WeftException(
                    AgentError.AGENT_REVOKED, "Agent '" + id + "' was revoked at " + current.stateChangedAt());
        }
        return current;
    }

    private static WeftException notFound(String id) {
        return new WeftException(AgentError.AGENT_NOT_FOUND, "No agent '" + id + "' has ever registered");
    }
}
