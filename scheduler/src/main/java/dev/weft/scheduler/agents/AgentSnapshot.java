package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * An agent as other features see it: its state and operator flags, where it is, what it offers, and the
 * replicas it last reported (the freshest this node knows: its own streams' latest heartbeat, else the
 * database's copy, at most a sweep interval old).
 *
 * @param cpuMillis capacity offered, in millicores
 * @param memoryMiB capacity offered, in MiB
 * @param appliedGeneration generation of the last AssignmentSet the agent said it applied
 * @param streamHere whether this control-plane node holds the agent's stream
 */
public record AgentSnapshot(
        String id,
        AgentState state,
        boolean cordoned,
        boolean draining,
        String address,
        String zone,
        Map<String, String> labels,
        int cpuMillis,
        int memoryMiB,
        List<ReportedReplica> replicas,
        long appliedGeneration,
        boolean streamHere) {

    public AgentSnapshot {
        requireNonNull(id, "id is null");
        requireNonNull(state, "state is null");
        labels = Map.copyOf(labels);
        replicas = List.copyOf(replicas);
    }

    /** Alive: its stream is open, or it ended and the lease still runs (it may come back and keep its replicas). */
    public boolean live() {
        return state == AgentState.CONNECTED || state == AgentState.DISCONNECTED;
    }

    /**
     * A replica as the agent reported it, in a hello or its latest heartbeat.
     *
     * @param state {@code STARTING}, {@code RUNNING}, {@code STOPPING} or {@code FAILED}
     */
    public record ReportedReplica(
            String assignmentId, String application, String version, List<String> components, String state) {
        public ReportedReplica {
            components = List.copyOf(components);
        }

        /** Serving: reported RUNNING (a replica reported without a state counts as RUNNING, as the protocol says). */
        public boolean running() {
            return state.equals("RUNNING");
        }
    }
}
