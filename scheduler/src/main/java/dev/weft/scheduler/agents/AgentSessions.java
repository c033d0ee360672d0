package dev.weft.scheduler.agents;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/** The agent streams open on this node, one per agent id, and each agent's rate-limit bucket. */
@Component
class AgentSessions {

    private final ConcurrentMap<String, AgentSession> open = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** Registers a stream; returns the one it replaces, if any. */
    Optional<AgentSession> open(AgentSession session) {
        return Optional.ofNullable(open.put(session.agentId(), session));
    }

    /** Forgets the stream if it is still the agent's current one; true if it was. */
    boolean remove(AgentSession session) {
        return open.remove(session.agentId(), session);
    }

    Optional<AgentSession> get(String agentId) {
        return Optional.ofNullable(open.get(agentId));
    }

    Collection<AgentSession> all() {
        return open.values();
    }

    int count() {
        return open.size();
    }

    /** The agent's bucket, kept across reconnects so that reconnecting does not refill it. */
    TokenBucket bucket(String agentId, java.util.function.Supplier<TokenBucket> create) {
        return buckets.computeIfAbsent(agentId, id -> create.get());
    }

    void forgetBucket(String agentId) {
        buckets.remove(agentId);
    }
}
