package dev.weft.scheduler.agents;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** The agent streams open on this node, one per agent id, and each agent's {@link AgentAllowance}. */
@Component
class AgentSessions {

    private final ConcurrentMap<String, AgentSession> open = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AgentAllowance> allowances = new ConcurrentHashMap<>();

    /** Registers a stream; returns the one it replaces, if any. */
    Optional<AgentSession> open(AgentSession session) {
        return Optional.ofNullable(open.put(session.agentId(), session));
    }

    /** Puts back the stream {@link #open} replaced, when the hello that replaced it did not go through. */
    void reopen(AgentSession failed, Optional<AgentSession> replaced) {
        if (replaced.isPresent()) {
            open.replace(failed.agentId(), failed, replaced.get());
        } else {
            open.remove(failed.agentId(), failed);
        }
    }

    /** Forgets the stream if it is still the agent's current one; true if it was. */
    boolean remove(AgentSession session) {
        return open.remove(session.agentId(), session);
    }

    Optional<AgentSession> get(String agentId) {
        return Optional.ofNullable(open.get(agentId));
    }

    /** The agent's current stream, if it is the one whose welcome issued the credential with this hash. */
    Optional<AgentSession> get(String agentId, String credentialHash) {
        return get(agentId).filter(session -> session.credentialHash().equals(credentialHash));
    }

    Collection<AgentSession> all() {
        return open.values();
    }

    int count() {
        return open.size();
    }

    /** The agent's allowance, kept across reconnects so that reconnecting does not reset it. */
    AgentAllowance allowance(String agentId, Supplier<AgentAllowance> create) {
        return allowances.computeIfAbsent(agentId, id -> create.get());
    }

    void forgetAllowance(String agentId) {
        allowances.remove(agentId);
    }
}
