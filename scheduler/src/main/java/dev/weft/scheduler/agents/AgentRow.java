package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One row of {@code agents}, as the registry reads it. */
record AgentRow(
        String id,
        AgentState state,
        boolean cordoned,
        boolean draining,
        String address,
        String zone,
        Map<String, String> labels,
        List<String> runtimes,
        int cpuMillis,
        int memoryMiB,
        int usedCpuMillis,
        int usedMemoryMiB,
        List<ReplicaRecord> replicas,
        long appliedGeneration,
        String agentVersion,
        @Nullable String sessionTokenHash,
        Instant registeredAt,
        Instant lastHeartbeatAt,
        Instant leaseExpiresAt,
        Instant stateChangedAt) {

    AgentRow {
        requireNonNull(id, "id is null");
        requireNonNull(state, "state is null");
        labels = Map.copyOf(labels);
        runtimes = List.copyOf(runtimes);
        replicas = List.copyOf(replicas);
    }

    /** A replica as an agent reported it; stored in {@code agents.reported_replicas}. */
    record ReplicaRecord(
            String assignmentId, String application, String version, List<String> components, String state) {
        ReplicaRecord {
            components = List.copyOf(components);
        }
    }
}
