package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Drain;
import dev.weft.scheduler.agents.AgentRow.ReplicaRecord;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One open agent stream on this control-plane node: the way to push messages to the agent, and what its
 * latest messages said (kept in memory and written to the database in batches by the lease sweeper).
 */
final class AgentSession {

    /**
     * Messages sent while gRPC says the agent is not reading fast enough. Past this many the agent is
     * not reading its stream at all, and the stream ends rather than buffering without bound.
     */
    static final int MAX_UNREAD_MESSAGES = 1_000;

    private final String agentId;
    private final String credentialHash;
    private final ServerCallStreamObserver<ControlMessage> out;
    private final AgentAllowance allowance;
    private boolean closed;
    // messages queued until the welcome is sent, so that nothing reaches the agent before it
    private @Nullable List<ControlMessage> beforeWelcome = new ArrayList<>();
    private int sentWhileNotReady;

    // written by the agent's stream thread, read by the sweeper: guarded by this
    private Instant lastSeen;
    private int usedCpuMillis;
    private int usedMemoryMiB;
    private List<ReplicaRecord> replicas;
    private long appliedGeneration;
    private long changes; // counts changes of replicas or applied generation
    private long writtenChanges; // changes as of the last committed write
    private Instant lastWritten; // lastSeen as of the last committed write
    private boolean draining;
    private boolean handling; // a message of the agent is being handled (it may wait for the database)

    // only touched by the agent's stream thread
    private Duration reportInterval;
    private int acceptedSinceSlowDown;

    AgentSession(
            String agentId,
            String credentialHash,
            ServerCallStreamObserver<ControlMessage> out,
            AgentAllowance allowance,
            Instant now,
            List<ReplicaRecord> replicas,
            long appliedGeneration,
            Duration reportInterval) {
        this.agentId = requireNonNull(agentId, "agentId is null");
        this.credentialHash = requireNonNull(credentialHash, "credentialHash is null");
        this.out = requireNonNull(out, "out is null");
        this.allowance = requireNonNull(allowance, "allowance is null");
        this.lastSeen = now;
        this.lastWritten = now;
        this.replicas = List.copyOf(replicas);
        this.appliedGeneration = appliedGeneration;
        this.reportInterval = reportInterval;
    }

    String agentId() {
        return agentId;
    }

    /** Hash of the credential this session's welcome issued; a later hello of the agent replaces it. */
    String credentialHash() {
        return credentialHash;
    }

    /** The agent's rate limit and report coverage, shared by its successive streams on this node. */
    AgentAllowance allowance() {
        return allowance;
    }

    /**
     * Sends one message unless the stream is closed; safe from any thread. Before the welcome went out the
     * message waits, so an operator's drain that races a hello still reaches the agent, after its welcome.
     */
    synchronized void send(ControlMessage message) {
        if (closed || out.isCancelled()) {
            return;
        }
        if (beforeWelcome != null) {
            beforeWelcome.add(message);
            return;
        }
        write(message);
    }

    /**
     * Sends the messages in order, with nothing sent to this session in between; false if the stream is closed or
     * its welcome has not gone out yet (then the caller's state reaches the agent with its connect).
     */
    synchronized boolean sendAll(List<ControlMessage> messages) {
        if (closed || out.isCancelled() || beforeWelcome != null) {
            return false;
        }
        for (ControlMessage message : messages) {
            if (closed) {
                return false;
            }
            write(message);
        }
        return true;
    }

    /** Sends the welcome, then whatever was sent to this session while the hello was being recorded. */
    synchronized void welcome(ControlMessage welcome) {
        List<ControlMessage> waiting = beforeWelcome;
        beforeWelcome = null;
        if (closed || out.isCancelled()) {
            return;
        }
        write(welcome);
        if (waiting != null) {
            for (ControlMessage message : waiting) {
                if (!closed) {
                    write(message);
                }
            }
        }
    }

    private void write(ControlMessage message) {
        if (!out.isReady() && ++sentWhileNotReady > MAX_UNREAD_MESSAGES) {
            fail(
                    AgentError.NOT_READING.status(
                            "agent '" + agentId + "' has not read its last " + MAX_UNREAD_MESSAGES
                                    + " control messages; this stream is closed so they do not pile up, reconnect and read the stream"));
            return;
        }
        out.onNext(message);
    }

    /** gRPC's transport drained what was buffered: the agent reads again. */
    synchronized void readyAgain() {
        sentWhileNotReady = 0;
    }

    /** Ends the stream with an error status; later calls do nothing. */
    synchronized void fail(Status status) {
        if (!closed) {
            closed = true;
            beforeWelcome = null;
            if (!out.isCancelled()) {
                out.onError(status.asRuntimeException());
            }
        }
    }

    /** Ends the stream normally, after a last message. */
    synchronized void complete(ControlMessage last) {
        if (!closed) {
            if (beforeWelcome == null) {
                send(last);
            }
            closed = true;
            if (!out.isCancelled()) {
                out.onCompleted();
            }
        }
    }

    /** Ends the stream normally; later calls do nothing. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            if (!out.isCancelled()) {
                out.onCompleted();
            }
        }
    }

    synchronized boolean closed() {
        return closed;
    }

    synchronized void seen(Instant now) {
        if (now.isAfter(lastSeen)) {
            lastSeen = now;
        }
    }

    /**
     * True while the stream is open and the agent was heard from within the last {@code lease}, or while one of its
     * messages is being handled: then it is the control plane that is slow (waiting for the database, say), and
     * the agent's later messages wait in gRPC's buffer unseen, so silence is not the agent's.
     */
    synchronized boolean liveAt(Instant now, Duration lease) {
        return !closed
                && !out.isCancelled()
                && (handling || lastSeen.plus(lease).isAfter(now));
    }

    synchronized void handling(boolean handling) {
        this.handling = handling;
    }

    /** Takes a heartbeat; returns whether the replicas differ from the previous report. */
    synchronized boolean heartbeat(
            Instant now, int cpuMillis, int memoryMiB, List<ReplicaRecord> running, long generation) {
        seen(now);
        usedCpuMillis = cpuMillis;
        usedMemoryMiB = memoryMiB;
        boolean replicasChanged = !running.equals(replicas);
        if (replicasChanged || generation != appliedGeneration) {
            changes++;
        }
        replicas = List.copyOf(running);
        appliedGeneration = generation;
        return replicasChanged;
    }

    synchronized long appliedGeneration() {
        return appliedGeneration;
    }

    synchronized void applied(long generation) {
        if (generation > appliedGeneration) {
            appliedGeneration = generation;
            changes++;
        }
    }

    synchronized Instant lastSeen() {
        return lastSeen;
    }

    synchronized List<ReplicaRecord> replicas() {
        return replicas;
    }

    synchronized int usedCpuMillis() {
        return usedCpuMillis;
    }

    synchronized int usedMemoryMiB() {
        return usedMemoryMiB;
    }

    synchronized boolean draining() {
        return draining;
    }

    synchronized void draining(boolean draining) {
        this.draining = draining;
    }

    /** Marks the session draining and sends the agent a drain, unless it already was draining. */
    synchronized boolean startDraining(String reason) {
        if (draining) {
            return false;
        }
        draining = true;
        send(drainMessage(reason, false));
        return true;
    }

    /**
     * What to write for this agent in the sweeper's batch, or null if nothing needs writing yet: replicas
     * or generation changed, or the stored lease has used up a third of its length. So with thousands of
     * agents reporting every second, each costs one row update per lease/3, not one per message. Nothing
     * counts as written until {@link #written} is told the write committed, so a failed write is retried.
     */
    synchronized AgentStore.@Nullable Liveness liveness(Duration lease) {
        if (closed || beforeWelcome != null) {
            return null; // an ended stream no longer keeps its agent alive; a hello still being recorded has no row yet
        }
        boolean leaseAging = Duration.between(lastWritten, lastSeen).compareTo(lease.dividedBy(3)) >= 0;
        if (changes == writtenChanges && !leaseAging) {
            return null;
        }
        return new AgentStore.Liveness(
                agentId,
                credentialHash,
                lastSeen,
                lastSeen.plus(lease),
                usedCpuMillis,
                usedMemoryMiB,
                replicas,
                appliedGeneration,
                changes);
    }

    /** The database now holds {@code live}. */
    synchronized void written(AgentStore.Liveness live) {
        if (live.lastSeen().isAfter(lastWritten)) {
            lastWritten = live.lastSeen();
        }
        writtenChanges = Math.max(writtenChanges, live.changes());
    }

    Duration reportInterval() {
        return reportInterval;
    }

    void reportInterval(Duration interval) {
        this.reportInterval = interval;
        this.acceptedSinceSlowDown = 0;
    }

    /** Counts reports accepted at a stretched interval; returns how many in a row. */
    int acceptedAtStretchedInterval() {
        return ++acceptedSinceSlowDown;
    }

    static ControlMessage drainMessage(String reason, boolean released) {
        return ControlMessage.newBuilder()
                .setDrain(Drain.newBuilder().setReason(reason).setReleased(released))
                .build();
    }
}
