package dev.weft.scheduler.agents;

import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Welcome;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.system.WeftException;
import com.google.protobuf.Duration;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.util.unit.DataSize;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The agent registry's decisions: who may connect, what a reconnect resumes, and what cordon, drain,
 * release and revoke do. Each change is one transaction with its audit event; messages to agents are
 * pushed after it commits.
 */
@Service
class AgentRegistry {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentRegistry.class);

    private final AgentStore store;
    private final AgentSessions sessions;
    private final BootstrapTokens tokens;
    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final AgentsProperties properties;
    private final Clock clock;

    AgentRegistry(AgentStore store, AgentSessions sessions, BootstrapTokens tokens, AuditLog auditLog,
                  TransactionTemplate transactions, AgentsProperties properties, Clock clock,
                  @Value("${spring.grpc.server.inbound.message.max-size:4MB}") DataSize transportLimit) {
        if (transportLimit.toBytes() <= properties.maxMessageSize().toBytes()) {
            log.warn("spring.grpc.server.inbound.message.max-size ({}) is not above weft.agents.max-message-size ({}): agents "
                    + "sending too large a message may see CANCELLED instead of RESOURCE_EXHAUSTED", transportLimit, properties.maxMessageSize());
        }
        this.store = store;
        this.sessions = sessions;
        this.tokens = tokens;
        this.auditLog = auditLog;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /** Authenticates a hello, records the agent, opens its session and welcomes it. */
    AgentSession connect(AgentHello hello, ServerCallStreamObserver<ControlMessage> out) {
        String credential = Secrets.newCredential();
        Instant now = clock.instant();
        Connected connected = transactions.execute(tx -> {
            Optional<AgentRow> existing = store.lock(hello.agentId());
            authenticate(hello, existing);
            if (existing.isPresent() && existing.get().state() == AgentState.REVOKED) {
                throw new AgentException(AgentError.AGENT_REVOKED, "agent '" + hello.agentId() + "' was revoked at "
                        + existing.get().stateChangedAt() + " and may not connect again");
            }
            store.upsertFromHello(hello, Secrets.sha256(credential), now, now.plus(properties.lease()));
            boolean resumed = existing.isPresent();
            auditLog.record(AuditEvent.ofAgent(resumed ? "AGENT_RECONNECTED" : "AGENT_REGISTERED", hello.agentId(),
                    "Agent '" + hello.agentId() + "' " + (resumed ? "reconnected" : "registered") + " from " + hello.address()
                            + " in zone " + hello.zone() + " running " + hello.replicas().size() + " replica(s)",
                    Map.of("address", hello.address(), "zone", hello.zone(), "replicas", hello.replicas().size(),
                            "previousState", existing.map(r -> r.state().name()).orElse("NEW"))));
            return new Connected(store.find(hello.agentId()).orElseThrow(), resumed);
        });
        AgentRow row = connected.row();
        TokenBucket bucket = sessions.bucket(hello.agentId(),
                () -> new TokenBucket(properties.messagesPerSecond(), properties.burst(), clock.millis()));
        AgentSession session = new AgentSession(hello.agentId(), out, bucket, now, hello.replicas(),
                hello.appliedGeneration(), row.draining(), properties.reportInterval());
        sessions.open(session).ifPresent(older -> older.fail(AgentError.SUPERSEDED.status(
                "a newer stream of agent '" + hello.agentId() + "' replaced this one")));
        session.send(ControlMessage.newBuilder().setWelcome(Welcome.newBuilder()
                .setAgentId(hello.agentId())
                .setSessionCredential(credential)
                .setLease(duration(properties.lease()))
                .setHeartbeatInterval(duration(properties.heartbeatInterval()))
                .setReportInterval(duration(properties.reportInterval()))
                .setMaxMessageBytes(properties.maxMessageBytes())
                .setCordoned(row.cordoned())
                .setDraining(row.draining())
                .setResumed(connected.resumed())).build());
        if (row.draining()) {
            session.send(AgentSession.drainMessage("operator request", false));
            releaseIfEmpty(hello.agentId());
        }
        return session;
    }

    private record Connected(AgentRow row, boolean resumed) {
    }

    /** A graceful goodbye: the agent is lost at once, so its replicas are re-placed now. */
    int leave(String id, String credential, String reason) {
        if (id.isEmpty()) {
            throw new AgentException(AgentError.MISSING_IDENTITY, "leave.agent_id is missing");
        }
        Instant now = clock.instant();
        int replicas = transactions.execute(tx -> {
            Optional<AgentRow> row = store.lock(id);
            String stored = row.map(AgentRow::sessionTokenHash).orElse(null);
            if (credential.isEmpty() || stored == null || !Secrets.sameHash(stored, Secrets.sha256(credential))) {
                throw new AgentException(AgentError.UNAUTHENTICATED, "leave.session_credential is not valid for agent '" + id + "'");
            }
            if (row.get().state() == AgentState.REVOKED) {
                throw new AgentException(AgentError.AGENT_REVOKED, "agent '" + id + "' was revoked");
            }
            int running = sessions.get(id).map(s -> s.replicas().size()).orElse(row.get().replicas().size());
            if (row.get().state() == AgentState.CONNECTED || row.get().state() == AgentState.DISCONNECTED) {
                store.setState(id, AgentState.LOST, now);
                auditLog.record(AuditEvent.ofAgent("AGENT_LEFT", id, "Agent '" + id + "' left: "
                        + AgentHello.abbreviate(reason.isBlank() ? "no reason given" : reason), Map.of("replicas", running)));
            }
            return running;
        });
        sessions.get(id).ifPresent(session -> {
            sessions.remove(session);
            session.complete(AgentSession.drainMessage("agent left", true));
        });
        return replicas;
    }

    private void authenticate(AgentHello hello, Optional<AgentRow> existing) {
        if (hello.sessionCredential() != null) {
            String stored = existing.map(AgentRow::sessionTokenHash).orElse(null);
            if (stored == null || !Secrets.sameHash(stored, Secrets.sha256(hello.sessionCredential()))) {
                throw new AgentException(AgentError.UNAUTHENTICATED, "hello.session_credential is not valid for agent '"
                        + hello.agentId() + "'; present a bootstrap token to register again");
            }
        } else if (hello.bootstrapToken() != null) {
            if (!tokens.accepts(hello.bootstrapToken())) {
                throw new AgentException(AgentError.UNAUTHENTICATED,
                        "hello.bootstrap_token of agent '" + hello.agentId() + "' is not a valid bootstrap token");
            }
        } else {
            throw new AgentException(AgentError.UNAUTHENTICATED,
                    "hello of agent '" + hello.agentId() + "' carries neither bootstrap_token nor session_credential");
        }
    }

    /** The stream ended without the control plane ending it: the agent keeps its lease and may come back. */
    void disconnected(AgentSession session) {
        if (!sessions.remove(session)) {
            return; // replaced by a newer stream, released or revoked: nothing to record
        }
        Instant lastSeen = session.lastSeen();
        Instant now = clock.instant();
        transactions.executeWithoutResult(tx -> {
            if (store.disconnect(session.agentId(), lastSeen, lastSeen.plus(properties.lease()), now)) {
                auditLog.record(AuditEvent.ofAgent("AGENT_DISCONNECTED", session.agentId(),
                        "Agent '" + session.agentId() + "' disconnected; its lease runs until " + lastSeen.plus(properties.lease()),
                        Map.of()));
            }
        });
    }

    AgentRow cordon(String id, boolean cordoned) {
        AgentRow row = transactions.execute(tx -> {
            AgentRow current = operable(id);
            // uncordon returns the agent to service, which also ends a drain
            store.setFlags(id, cordoned, cordoned && current.draining());
            auditLog.record(AuditEvent.ofAgent(cordoned ? "AGENT_CORDONED" : "AGENT_UNCORDONED", id,
                    "Agent '" + id + "' " + (cordoned ? "cordoned: it gets no new replicas" : "uncordoned: it takes new replicas again"),
                    Map.of()));
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
                auditLog.record(AuditEvent.ofAgent("AGENT_DRAINING", id,
                        "Agent '" + id + "' is draining: its replicas move elsewhere, then it is released", Map.of()));
            }
            return current;
        });
        if (!before.draining()) {
            sessions.get(id).ifPresent(session -> {
                session.draining(true);
                session.send(AgentSession.drainMessage("operator request", false));
            });
        }
        releaseIfEmpty(id);
        return store.find(id).orElseThrow();
    }

    AgentRow revoke(String id) {
        AgentRow row = transactions.execute(tx -> {
            AgentRow current = store.lock(id).orElseThrow(() -> notFound(id));
            if (current.state() != AgentState.REVOKED) {
                store.revoke(id, clock.instant());
                auditLog.record(AuditEvent.ofAgent("AGENT_REVOKED", id,
                        "Agent '" + id + "' revoked: it may never connect again and its replicas are re-placed", Map.of()));
            }
            return store.find(id).orElseThrow();
        });
        sessions.get(id).ifPresent(session -> {
            sessions.remove(session);
            session.fail(AgentError.AGENT_REVOKED.status("agent '" + id + "' was revoked by an operator"));
        });
        sessions.forgetBucket(id);
        return row;
    }

    /** Releases a draining agent that runs nothing and is assigned nothing; true if it did. */
    boolean releaseIfEmpty(String id) {
        Optional<AgentSession> session = sessions.get(id);
        Boolean released = transactions.execute(tx -> {
            Optional<AgentRow> row = store.lock(id);
            if (row.isEmpty() || !row.get().draining()
                    || !(row.get().state() == AgentState.CONNECTED || row.get().state() == AgentState.DISCONNECTED)) {
                return false;
            }
            int running = session.map(s -> s.replicas().size()).orElse(row.get().replicas().size());
            if (running > 0 || store.assignedReplicas(id) > 0) {
                return false;
            }
            store.setState(id, AgentState.RELEASED, clock.instant());
            auditLog.record(AuditEvent.ofAgent("AGENT_RELEASED", id, "Agent '" + id + "' drained and released", Map.of()));
            return true;
        });
        if (Boolean.TRUE.equals(released)) {
            session.ifPresent(s -> {
                sessions.remove(s);
                s.complete(AgentSession.drainMessage("drained: nothing left to run", true));
            });
            sessions.forgetBucket(id);
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
            throw new WeftException(AgentError.AGENT_REVOKED, "Agent '" + id + "' was revoked at " + current.stateChangedAt());
        }
        return current;
    }

    static WeftException notFound(String id) {
        return new WeftException(AgentError.AGENT_NOT_FOUND, "No agent '" + id + "' has ever registered");
    }

    static Duration duration(java.time.Duration duration) {
        return Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }
}
