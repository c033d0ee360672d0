package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Drain;
import dev.weft.scheduler.agents.AgentRow.ReplicaRecord;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One open agent stream on this control-plane node: the way to push messages to the agent, and what its
 * latest messages said (kept in memory and written to the database in batches by the lease sweeper).
 */
final class AgentSession {

    private final String agentId;
    private final String credentialHash;
    private final ServerCallStreamObserver<ControlMessage> out;
    private final TokenBucket bucket;
    private boolean closed;

    // written by the agent's stream thread, read by the sweeper: guarded by this
    private Instant lastSeen;
    private int usedCpuMillis;
    private int usedMemoryMiB;
    private List<ReplicaRecord> replicas;
    private long appliedGeneration;
    private boolean changed;      // replicas or applied generation differ from what was last written
    private Instant lastWritten;  // lastSeen as of the last write
    private boolean draining;

    // only touched by the agent's stream thread
    private Duration reportInterval;
    private int acceptedSinceSlowDown;

    AgentSession(String agentId, String credentialHash, ServerCallStreamObserver<ControlMessage> out, TokenBucket bucket,
                 Instant now, List<ReplicaRecord> replicas, long appliedGeneration, boolean draining, Duration reportInterval) {
        this.agentId = requireNonNull(agentId, "agentId is null");
        this.credentialHash = requireNonNull(credentialHash, "credentialHash is null");
        this.out = requireNonNull(out, "out is null");
        this.bucket = bucket;
        this.lastSeen = now;
        this.lastWritten = now;
        this.replicas = List.copyOf(replicas);
        this.appliedGeneration = appliedGeneration;
        this.draining = draining;
        this.reportInterval = reportInterval;
    }

    String agentId() {
        return agentId;
    }

    /** Hash of the credential this session's welcome issued; a later hello of the agent replaces it. */
    String credentialHash() {
        return credentialHash;
    }

    TokenBucket bucket() {
        return bucket;
    }

    /** Sends one message unless the stream is closed; safe from any thread. */
    synchronized void send(ControlMessage message) {
        if (!closed && !out.isCancelled()) {
            out.onNext(message);
        }
    }

    /** Ends the stream with an error status; later calls do nothing. */
    synchronized void fail(Status status) {
        if (!closed) {
            closed = true;
            if (!out.isCancelled()) {
                out.onError(status.asRuntimeException());
            }
        }
    }

    /** Ends the stream normally, after a last message. */
    synchronized void complete(ControlMessage last) {
        if (!closed) {
            send(last);
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

    synchronized void heartbeat(Instant now, int cpuMillis, int memoryMiB, List<ReplicaRecord> running, long generation) {
        seen(now);
        usedCpuMillis = cpuMillis;
        usedMemoryMiB = memoryMiB;
        if (!running.equals(replicas) || generation != appliedGeneration) {
            changed = true;
        }
        replicas = List.copyOf(running);
        appliedGeneration = generation;
    }

    synchronized void applied(long generation) {
        if (generation > appliedGeneration) {
            appliedGeneration = generation;
            changed = true;
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

    /**
     * What to write for this agent in the sweeper's batch, or null if nothing needs writing yet: replicas
     * or generation changed, or the stored lease has used up a third of its length. So with thousands of
     * agents reporting every second, each costs one row update per lease/3, not one per message.
     */
    synchronized AgentStore.@org.jspecify.annotations.Nullable Liveness takeLiveness(Duration lease) {
        boolean leaseAging = Duration.between(lastWritten, lastSeen).compareTo(lease.dividedBy(3)) >= 0;
        if (!changed && !leaseAging) {
            return null;
        }
        changed = false;
        lastWritten = lastSeen;
        return new AgentStore.Liveness(agentId, lastSeen, lastSeen.plus(lease), usedCpuMillis, usedMemoryMiB, replicas, appliedGeneration);
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
        return ControlMessage.newBuilder().setDrain(Drain.newBuilder().setReason(reason).setReleased(released)).build();
    }
}
