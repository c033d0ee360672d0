package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Duration;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Welcome;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

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
    private final DatabaseGate gate;
    private volatile boolean shuttingDown;
    // streams that ended and whose disconnect is still waiting for the database
    private final Set<AgentSession> disconnecting = ConcurrentHashMap.newKeySet();

    AgentRegistry(
            AgentStore store,
            AgentSessions sessions,
            BootstrapTokens tokens,
            AuditLog auditLog,
            TransactionTemplate transactions,
            AgentsProperties properties,
            Clock clock,
            AgentOperations operations,
            DatabaseGate gate,
            @Value("${spring.grpc.server.inbound.message.max-size:4MB}") DataSize transportLimit) {
        if (transportLimit.toBytes() <= properties.maxMessageSize().toBytes()) {
            log.warn(
                    "spring.grpc.server.inbound.message.max-size ({}) is not above weft.agents.max-message-size ({}): agents "
                            + "sending too large a message may see CANCELLED instead of RESOURCE_EXHAUSTED",
                    transportLimit,
                    properties.maxMessageSize());
        }
        this.store = store;
        this.sessions = sessions;
        this.tokens = tokens;
        this.auditLog = auditLog;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
        this.operations = operations;
        this.gate = gate;
    }

    /**
     * Authenticates a hello, records the agent, opens its session and welcomes it. The session is opened while
     * the agent's row is locked, so an operator's drain or revoke (which lock the row too) either happened before
     * (and the hello sees it) or finds this session; what it sends waits until the welcome is out.
     */
    AgentSession connect(AgentHello hello, ServerCallStreamObserver<ControlMessage> out) {
        if (hello.sessionCredential() == null) {
            // the common first hello: checked in memory, before it takes a connection or a lock
            authenticateBootstrap(hello);
        }
        String credential = Secrets.newCredential();
        String credentialHash = Secrets.sha256(credential);
        AgentAllowance allowance = sessions.allowance(
                hello.agentId(),
                () -> new AgentAllowance(
                        new TokenBucket(properties.messagesPerSecond(), properties.burst(), clock.millis()),
                        clock.instant(),
                        properties.maxReportInterval(),
                        properties.maxReportInterval()));
        AtomicReference<Opened> holder = new AtomicReference<>();
        try {
            gate.run(() -> transactions.executeWithoutResult(tx -> {
                Optional<AgentRow> existing = store.lock(hello.agentId());
                if (hello.sessionCredential() != null) {
                    authenticateCredential(hello, existing);
                }
                if (existing.isPresent() && existing.get().state() == AgentState.REVOKED) {
                    throw new AgentException(
                            AgentError.AGENT_REVOKED,
                            "agent '" + hello.agentId() + "' was revoked at "
                                    + existing.get().stateChangedAt() + " and may not connect again");
                }
                // read after the lock: a hello that waited for the database still gets a whole lease
                Instant now = clock.instant();
                store.upsertFromHello(hello, credentialHash, now, now.plus(properties.lease()));
                boolean resumed = existing.isPresent();
                auditLog.record(AuditEvent.ofAgent(
                        resumed ? "AGENT_RECONNECTED" : "AGENT_REGISTERED",
                        hello.agentId(),
                        "Agent '" + hello.agentId() + "' " + (resumed ? "reconnected" : "registered") + " from "
                                + hello.address() + " in zone " + hello.zone() + " running "
                                + hello.replicas().size() + " replica(s)",
                        Map.of(
                                "address",
                                hello.address(),
                                "zone",
                                hello.zone(),
                                "replicas",
                                hello.replicas().size(),
                                "previousState",
                                existing.map(r -> r.state().name()).orElse("NEW"))));
                AgentRow row = store.find(hello.agentId()).orElseThrow();
                AgentSession session = new AgentSession(
                        hello.agentId(),
                        credentialHash,
                        out,
                        allowance,
                        now,
                        hello.replicas(),
                        hello.appliedGeneration(),
                        properties.reportInterval());
                holder.set(new Opened(session, row, resumed, sessions.open(session)));
            }));
        } catch (RuntimeException failed) {
            Opened opened = holder.get();
            if (opened != null) {
                sessions.reopen(opened.session(), opened.replaced());
            }
            throw failed;
        }
        Opened opened = holder.get();
        AgentSession session = opened.session();
        AgentRow row = opened.row();
        opened.replaced()
                .ifPresent(older -> older.fail(AgentError.SUPERSEDED.status(
                        "a newer stream of agent '" + hello.agentId() + "' replaced this one")));
        session.welcome(ControlMessage.newBuilder()
                .setWelcome(Welcome.newBuilder()
                        .setAgentId(hello.agentId())
                        .setSessionCredential(credential)
                        .setLease(duration(properties.lease()))
                        .setHeartbeatInterval(duration(properties.heartbeatInterval()))
                        .setReportInterval(duration(properties.reportInterval()))
                        .setMaxMessageBytes(properties.maxMessageBytes())
                        .setCordoned(row.cordoned())
                        .setDraining(row.draining())
                        .setResumed(opened.resumed()))
                .build());
        if (row.draining()) {
            session.startDraining("operator request");
            operations.releaseIfEmpty(hello.agentId());
        }
        return session;
    }

    private record Opened(AgentSession session, AgentRow row, boolean resumed, Optional<AgentSession> replaced) {}

    /** A graceful goodbye: the agent is lost at once, so its replicas are re-placed now. */
    int leave(String id, String credential, String reason) {
        if (id.isEmpty()) {
            throw new AgentException(AgentError.MISSING_IDENTITY, "leave.agent_id is missing");
        }
        Instant now = clock.instant();
        int replicas = gate.call(() -> transactions.execute(tx -> {
            Optional<AgentRow> row = store.lock(id);
            String stored = row.map(AgentRow::sessionTokenHash).orElse(null);
            if (credential.isEmpty() || stored == null || !Secrets.sameHash(stored, Secrets.sha256(credential))) {
                throw new AgentException(
                        AgentError.UNAUTHENTICATED, "leave.session_credential is not valid for agent '" + id + "'");
            }
            if (row.get().state() == AgentState.REVOKED) {
                throw new AgentException(AgentError.AGENT_REVOKED, "agent '" + id + "' was revoked");
            }
            int running = sessions.get(id)
                    .map(s -> s.replicas().size())
                    .orElse(row.get().replicas().size());
            if (row.get().state() == AgentState.CONNECTED || row.get().state() == AgentState.DISCONNECTED) {
                store.setState(id, AgentState.LOST, now);
                auditLog.record(AuditEvent.ofAgent(
                        "AGENT_LEFT",
                        id,
                        "Agent '" + id + "' left: "
                                + AgentHello.abbreviate(reason.isBlank() ? "no reason given" : reason),
                        Map.of("replicas", running)));
            }
            return running;
        }));
        // only the stream this credential belongs to: a newer hello may have replaced it meanwhile
        sessions.get(id, Secrets.sha256(credential)).ifPresent(session -> {
            if (sessions.remove(session)) {
                session.complete(AgentSession.drainMessage("agent left", true));
            }
        });
        return replicas;
    }

    private void authenticateCredential(AgentHello hello, Optional<AgentRow> existing) {
        String stored = existing.map(AgentRow::sessionTokenHash).orElse(null);
        if (stored == null || !Secrets.sameHash(stored, Secrets.sha256(requireNonNull(hello.sessionCredential())))) {
            throw new AgentException(
                    AgentError.UNAUTHENTICATED,
                    "hello.session_credential is not valid for agent '" + hello.agentId()
                            + "'; present a bootstrap token to register again");
        }
    }

    private void authenticateBootstrap(AgentHello hello) {
        if (hello.bootstrapToken() == null) {
            throw new AgentException(
                    AgentError.UNAUTHENTICATED,
                    "hello of agent '" + hello.agentId() + "' carries neither bootstrap_token nor session_credential");
        }
        if (!tokens.accepts(hello.bootstrapToken())) {
            throw new AgentException(
                    AgentError.UNAUTHENTICATED,
                    "hello.bootstrap_token of agent '" + hello.agentId() + "' is not a valid bootstrap token");
        }
    }

    /** The stream ended without the control plane ending it: the agent keeps its lease and may come back. */
    void disconnected(AgentSession session) {
        // Counted as disconnecting before it leaves the open streams, and until its own write is done or refused:
        // a shutdown copies the open streams, then these, then closes the gate, so a disconnect the closed gate
        // refuses was in one copy or the other and is recorded with the rest.
        disconnecting.add(session);
        try {
            if (!sessions.remove(session)) {
                return; // replaced by a newer stream, released or revoked: nothing to record
            }
            record(session);
        } catch (AgentException e) {
            if (e.error() != AgentError.SHUTTING_DOWN) {
                throw e;
            }
            // refused by the closed gate: shutdown recorded it along with the open streams
        } finally {
            disconnecting.remove(session);
        }
    }

    private void record(AgentSession session) {
        Instant lastSeen = session.lastSeen();
        Instant now = clock.instant();
        gate.run(() -> transactions.executeWithoutResult(tx -> {
            // a newer hello of the agent (maybe on another node) replaced the credential: then this is old news
            if (store.disconnect(
                    session.agentId(), session.credentialHash(), lastSeen, lastSeen.plus(properties.lease()), now)) {
                auditLog.record(AuditEvent.ofAgent(
                        "AGENT_DISCONNECTED",
                        session.agentId(),
                        "Agent '" + session.agentId() + "' disconnected; its lease runs until "
                                + lastSeen.plus(properties.lease()),
                        Map.of()));
            }
        }));
    }

    /**
     * Shutdown begins (before any server or connection pool stops): every stream of this node is recorded as
     * disconnected in one statement, keeping the lease it earned, and ended with {@code UNAVAILABLE} so its agent
     * reconnects (to another node, or to this one when it is back) instead of the gRPC server waiting out its
     * grace period for streams that never end on their own, and instead of thousands of disconnects each
     * waiting for a connection the closing pool no longer hands out.
     */
    @EventListener(ContextClosedEvent.class)
    void shutdown(ContextClosedEvent event) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        // open streams first, then those on their way out (see disconnected): none is missed between the two
        List<AgentSession> open = List.copyOf(sessions.all());
        Set<AgentSession> unique = new LinkedHashSet<>(open);
        unique.addAll(disconnecting);
        List<AgentSession> all = List.copyOf(unique);
        gate.close(); // disconnects still waiting for the database give up: they are in this batch
        if (all.isEmpty()) {
            return;
        }
        try {
            int recorded = store.disconnectAll(all, properties.lease(), clock.instant());
            log.info(
                    "Shutting down: {} agent stream(s) of this node recorded as disconnected; their leases run on",
                    recorded);
        } catch (RuntimeException e) {
            log.warn(
                    "Shutting down: could not record {} agent stream(s) as disconnected ({}); their leases run out instead",
                    all.size(),
                    e.toString());
        }
        for (AgentSession session : open) {
            if (sessions.remove(session)) {
                session.fail(AgentError.SHUTTING_DOWN.status("this control-plane node is shutting down; agent '"
                        + session.agentId() + "' keeps its lease: reconnect with its session credential"));
            }
        }
    }

    static Duration duration(java.time.Duration duration) {
        return Duration.newBuilder()
                .setSeconds(duration.getSeconds())
                .setNanos(duration.getNano())
                .build();
    }
}
