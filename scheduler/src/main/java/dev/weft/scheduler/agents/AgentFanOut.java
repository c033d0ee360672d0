package dev.weft.scheduler.agents;

import dev.weft.scheduler.cluster.ClusterBus;
import dev.weft.scheduler.cluster.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Brings an operator's decision (cordon, drain, revoke, release) to the agent's stream on whichever control-plane
 * node holds it, within moments rather than at the stream's next liveness write: the change's transaction publishes
 * the agent's id on the cluster bus, and every node reconciles its stream of that agent with the row. After the bus
 * reconnects, every stream open here is reconciled, since notifications may have been missed; the lease sweeper
 * remains the safety net either way.
 */
@Component
class AgentFanOut {

    /** An agent's operator flags or state changed; read its row. */
    static final Topic<AgentChanged> AGENT_CHANGED = Topic.of("agents.changed", AgentChanged.class);

    private static final Logger log = LoggerFactory.getLogger(AgentFanOut.class);

    /** The message: only the id, the row says the rest. */
    record AgentChanged(String agentId) {}

    private final ClusterBus bus;
    private final AgentSessions sessions;
    private final AgentStore store;

    AgentFanOut(ClusterBus bus, AgentSessions sessions, AgentStore store) {
        this.bus = bus;
        this.sessions = sessions;
        this.store = store;
        bus.subscribe(AGENT_CHANGED, changed -> reconcile(List.of(changed.agentId())), this::reconcileAll);
    }

    /** Announces, when the caller's transaction commits, that the agent's row changed. */
    void changed(String agentId) {
        bus.publish(AGENT_CHANGED, new AgentChanged(agentId));
    }

    private void reconcileAll() {
        List<String> ids = new ArrayList<>();
        for (AgentSession session : sessions.all()) {
            ids.add(session.agentId());
        }
        try {
            reconcile(ids);
        } catch (RuntimeException e) {
            // the database may be what failed; the sweeper's next liveness write finds the same
            log.warn("Could not resynchronise {} agent stream(s) with their rows: {}", ids.size(), e.toString());
        }
    }

    private void reconcile(List<String> ids) {
        List<String> here =
                ids.stream().filter(id -> sessions.get(id).isPresent()).toList();
        for (AgentStore.OperatorFlags row : store.operatorFlags(here)) {
            Optional<AgentSession> open = sessions.get(row.id());
            if (open.isPresent()) {
                reconcile(open.get(), row);
            }
        }
    }

    /** What the sweeper would do at the stream's next liveness write, done now. */
    private void reconcile(AgentSession session, AgentStore.OperatorFlags row) {
        String id = session.agentId();
        switch (row.state()) {
            case REVOKED -> {
                if (sessions.remove(session)) {
                    session.fail(AgentError.AGENT_REVOKED.status("agent '" + id + "' was revoked by an operator"));
                }
                sessions.forgetAllowance(id);
            }
            case RELEASED -> {
                if (sessions.remove(session)) {
                    session.complete(AgentSession.drainMessage("drained: nothing left to run", true));
                }
                sessions.forgetAllowance(id);
            }
            case CONNECTED, DISCONNECTED -> {
                if (!session.credentialHash().equals(row.sessionTokenHash())) {
                    return; // the row is another, newer stream's; the sweeper ends this one
                }
                if (row.draining()) {
                    session.startDraining("operator request");
                } else {
                    session.draining(false);
                }
            }
            case LOST -> {
                // the lease is the sweeper's to judge: the node holding the stream decides from what it heard
            }
        }
    }
}
