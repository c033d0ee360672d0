package dev.weft.scheduler.agents;

import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.scheduler.agents.AgentRow.ReplicaRecord;
import dev.weft.scheduler.agents.AgentSnapshot.ReportedReplica;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The agent registry as other features see it ({@link AgentDirectory}) and the streams they push to
 * ({@link AgentChannels}): database rows, overlaid with what the streams held on this node said last.
 */
@Component
class AgentViews implements AgentDirectory, AgentChannels {

    private final AgentStore store;
    private final AgentSessions sessions;

    AgentViews(AgentStore store, AgentSessions sessions) {
        this.store = store;
        this.sessions = sessions;
    }

    @Override
    public List<AgentSnapshot> live() {
        return store.live().stream().map(this::snapshot).toList();
    }

    @Override
    public Map<String, AgentSnapshot> find(Collection<String> ids) {
        Map<String, AgentSnapshot> out = new LinkedHashMap<>();
        for (AgentRow row : store.findAll(ids)) {
            out.put(row.id(), snapshot(row));
        }
        return out;
    }

    @Override
    public Map<String, List<ReportedReplica>> connectedReplicas(Collection<String> ids) {
        return ids.isEmpty() ? Map.of() : replicas(store.sessionsOf(ids));
    }

    @Override
    public Map<String, List<ReportedReplica>> liveReplicas() {
        return replicas(store.sessionsOf(null));
    }

    /** From the stream held here when it is the agent's current one (see {@link #heldHere}), else from its row. */
    private Map<String, List<ReportedReplica>> replicas(List<AgentStore.SessionRow> agents) {
        Map<String, List<ReportedReplica>> out = new LinkedHashMap<>();
        List<String> elsewhere = new ArrayList<>();
        for (AgentStore.SessionRow agent : agents) {
            Optional<AgentSession> session = heldHere(agent.id(), agent.sessionTokenHash());
            if (session.isPresent()) {
                out.put(
                        agent.id(),
                        session.get().replicas().stream()
                                .map(AgentViews::reported)
                                .toList());
            } else {
                elsewhere.add(agent.id());
            }
        }
        for (AgentStore.ReplicaRow row : store.replicasOf(elsewhere)) {
            out.put(row.id(), row.replicas().stream().map(AgentViews::reported).toList());
        }
        return out;
    }

    /**
     * The stream held on this node when it carries the agent's current credential: it knows better than the row,
     * which the sweeper writes in batches. A stream of an older session (the agent has since registered again,
     * maybe on another node) does not count; a DISCONNECTED agent has no stream anywhere.
     */
    private Optional<AgentSession> heldHere(String agentId, @Nullable String credentialHash) {
        return credentialHash == null ? Optional.empty() : sessions.get(agentId, credentialHash);
    }

    private AgentSnapshot snapshot(AgentRow row) {
        Optional<AgentSession> session =
                row.state() == AgentState.CONNECTED ? heldHere(row.id(), row.sessionTokenHash()) : Optional.empty();
        List<ReplicaRecord> replicas = session.map(AgentSession::replicas).orElse(row.replicas());
        long applied = session.map(AgentSession::appliedGeneration)
                .map(g -> Math.max(g, row.appliedGeneration()))
                .orElse(row.appliedGeneration());
        return new AgentSnapshot(
                row.id(),
                row.state(),
                row.cordoned(),
                row.draining(),
                row.address(),
                row.zone(),
                row.labels(),
                row.cpuMillis(),
                row.memoryMiB(),
                replicas.stream().map(AgentViews::reported).toList(),
                applied,
                session.isPresent());
    }

    static ReportedReplica reported(ReplicaRecord r) {
        return new ReportedReplica(r.assignmentId(), r.application(), r.version(), r.components(), r.state());
    }

    @Override
    public boolean send(String agentId, List<ControlMessage> messages) {
        Optional<AgentSession> session = sessions.get(agentId);
        return session.isPresent() && session.get().sendAll(messages);
    }

    @Override
    public Set<String> connectedHere() {
        return sessions.all().stream().map(AgentSession::agentId).collect(Collectors.toUnmodifiableSet());
    }
}
