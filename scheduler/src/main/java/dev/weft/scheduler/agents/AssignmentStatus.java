package dev.weft.scheduler.agents;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an agent is told to run and what it acknowledged, for {@code GET /api/v1/agents/{id}}; implemented by the
 * feature that pushes assignments.
 */
public interface AssignmentStatus {

    /** Empty when the agent was never assigned anything. */
    Optional<Status> of(String agentId);

    /**
     * An agent's desired replicas against what it acknowledged.
     *
     * @param desiredGeneration generation of the AssignmentSet the agent must run (the latest sent)
     * @param acknowledgedGeneration generation of the latest AssignmentAck (0: none)
     * @param applied whether that ack said every assignment runs (or starts)
     * @param message the ack's message when it did not
     * @param failedAssignmentIds the ack's assignments that could not be started
     * @param assignments the desired replicas
     */
    record Status(
            long desiredGeneration,
            Instant desiredSince,
            long acknowledgedGeneration,
            @Nullable Instant acknowledgedAt,
            boolean applied,
            String message,
            List<String> failedAssignmentIds,
            List<DesiredReplica> assignments) {
        public Status {
            failedAssignmentIds = List.copyOf(failedAssignmentIds);
            assignments = List.copyOf(assignments);
        }
    }

    /** One replica the agent must run. */
    record DesiredReplica(
            String assignmentId,
            String application,
            String version,
            int groupIndex,
            int replicaIndex,
            List<String> components,
            int cpuMillis,
            int memoryMiB) {
        public DesiredReplica {
            components = List.copyOf(components);
        }
    }
}
