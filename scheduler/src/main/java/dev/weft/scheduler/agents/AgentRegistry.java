package dev.weft.scheduler.agents;

import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Welcome;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
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
 * The agent registry's decisions about sessions: who may connect, what a reconnect resumes, what a
 * disconnect or a leave records. Each change is one transaction with its audit event; messages to the
 * agent are sent after it commits.
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
    private final AgentOperations operations;

    AgentRegistry(AgentStore store, AgentSessions sessions, BootstrapTokens tokens, AuditLog auditLog,
                  TransactionTemplate transactions, AgentsProperties properties, Clock clock, AgentOperations operations,
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
        this.operations = operations;
    }

    /** Authenticates a hello, records the agent, opens its session and welcomes it. */
    AgentSession connect(AgentHello hello, ServerCallStreamObserver<ControlMessage> out) {
        String credential = Secrets.newCredential();
        String credentialHash = Secrets.sha256(credential);
        Instant now = clock.instant();
        Connected connected = transactions.execute(tx -> {
            Optional<AgentRow> existing = store.lock(hello.agentId());
            authenticate(hello, existing);
            if (existing.isPresent() && existing.get().state() == AgentState.REVOKED) {
                throw new AgentException(AgentError.AGENT_REVOKED, "agent '" + hello.agentId() + "' was revoked at "
                        + existing.get().stateChangedAt() + " and may not connect again");
            }
            store.upsertFromHello(hello, credentialHash, now, now.plus(properties.lease()));
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
        AgentSession session = new AgentSession(hello.agentId(), credentialHash, out, bucket, now, hello.replicas(),
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
            operations.releaseIfEmpty(hello.agentId());
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
            // a newer hello of the agent (maybe on another node) replaced the credential: then this is old news
            if (store.disconnect(session.agentId(), session.credentialHash(), lastSeen, lastSeen.plus(properties.lease()), now)) {
                auditLog.record(AuditEvent.ofAgent("AGENT_DISCONNECTED", session.agentId(),
                        "Agent '" + session.agentId() + "' disconnected; its lease runs until " + lastSeen.plus(properties.lease()),
                        Map.of()));
            }
        });
    }


    static Duration duration(java.time.Duration duration) {
        return Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }
}
