package dev.weft.scheduler.agents;

import dev.weft.scheduler.agents.AgentRow.ReplicaRecord;
import dev.weft.scheduler.system.CommonError;
import dev.weft.scheduler.system.FieldError;
import dev.weft.scheduler.system.PageResponse;
import dev.weft.scheduler.system.Paging;
import dev.weft.scheduler.system.WeftException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/agents}: list and read agents; cordon, uncordon, drain and revoke one. */
@RestController
@RequestMapping("/api/v1/agents")
class AgentController {

    private final AgentStore store;
    private final AgentOperations operations;
    private final AgentSessions sessions;
    private final ObjectProvider<AssignmentStatus> assignments;

    AgentController(
            AgentStore store,
            AgentOperations operations,
            AgentSessions sessions,
            ObjectProvider<AssignmentStatus> assignments) {
        this.store = store;
        this.operations = operations;
        this.sessions = sessions;
        this.assignments = assignments;
    }

    /** CPU and memory, offered or used. */
    record Resources(int cpuMillis, int memoryMiB) {}

    /** An agent as the API shows it. Usage and last heartbeat are the freshest this node knows. */
    record AgentView(
            String id,
            String state,
            boolean cordoned,
            boolean draining,
            boolean streamOnThisNode,
            String address,
            String zone,
            Map<String, String> labels,
            List<String> runtimes,
            Resources capacity,
            Resources usage,
            List<ReplicaRecord> replicas,
            long appliedGeneration,
            String agentVersion,
            Instant registeredAt,
            Instant lastHeartbeatAt,
            Instant leaseExpiresAt,
            Instant stateChangedAt,
            @Nullable Assignments assignments) {}

    /**
     * What the agent is told to run against what it acknowledged and reports: {@code desiredGeneration} is the
     * latest AssignmentSet sent, {@code acknowledgedGeneration} the latest AssignmentAck, {@code appliedGeneration}
     * what its latest heartbeat said; {@code inSync} when all three agree and the ack reported no failure.
     * Null for an agent that was never assigned anything.
     */
    record Assignments(
            long desiredGeneration,
            Instant desiredSince,
            long acknowledgedGeneration,
            @Nullable Instant acknowledgedAt,
            long appliedGeneration,
            boolean inSync,
            boolean applied,
            String message,
            List<String> failedAssignmentIds,
            List<AssignmentStatus.DesiredReplica> desired) {}

    @GetMapping
    PageResponse<AgentView> list(
            @RequestParam(required = false) @Nullable String state,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        PageRequest request = Paging.of(page, size, Sort.by("id"));
        AgentState filter = state == null ? null : state(state);
        return new PageResponse<>(
                store.page(filter, request.getOffset(), size).stream()
                        .map(this::view)
                        .toList(),
                page,
                size,
                store.count(filter));
    }

    @GetMapping("/{id}")
    AgentView get(@PathVariable String id) {
        return view(operations.get(id));
    }

    @PostMapping("/{id}/cordon")
    AgentView cordon(@PathVariable String id) {
        return view(operations.cordon(id, true));
    }

    @PostMapping("/{id}/uncordon")
    AgentView uncordon(@PathVariable String id) {
        return view(operations.cordon(id, false));
    }

    @PostMapping("/{id}/drain")
    AgentView drain(@PathVariable String id) {
        return view(operations.drain(id));
    }

    @PostMapping("/{id}/revoke")
    AgentView revoke(@PathVariable String id) {
        return view(operations.revoke(id));
    }

    private static AgentState state(String state) {
        try {
            return AgentState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new WeftException(List.of(new FieldError(
                    CommonError.INVALID_PARAMETER,
                    "state",
                    "Query parameter 'state' must be one of " + List.of(AgentState.values()) + ", was '" + state
                            + "'")));
        }
    }

    private AgentView view(AgentRow row) {
        AgentSession session =
                row.state() == AgentState.CONNECTED ? sessions.get(row.id()).orElse(null) : null;
        boolean live = session != null;
        long applied = session != null
                ? Math.max(row.appliedGeneration(), session.appliedGeneration())
                : row.appliedGeneration();
        Instant lastSeen = session != null && session.lastSeen().isAfter(row.lastHeartbeatAt())
                ? session.lastSeen()
                : row.lastHeartbeatAt();
        return new AgentView(
                row.id(),
                row.state().name(),
                row.cordoned(),
                row.draining(),
                live,
                row.address(),
                row.zone(),
                row.labels(),
                row.runtimes(),
                new Resources(row.cpuMillis(), row.memoryMiB()),
                session != null
                        ? new Resources(session.usedCpuMillis(), session.usedMemoryMiB())
                        : new Resources(row.usedCpuMillis(), row.usedMemoryMiB()),
                session != null ? session.replicas() : row.replicas(),
                applied,
                row.agentVersion(),
                row.registeredAt(),
                lastSeen,
                live ? lastSeen.plus(operations.lease()) : row.leaseExpiresAt(),
                row.stateChangedAt(),
                assignments(row.id(), applied));
    }

    private @Nullable Assignments assignments(String id, long appliedGeneration) {
        AssignmentStatus status = assignments.getIfAvailable();
        if (status == null) {
            return null;
        }
        return status.of(id)
                .map(s -> new Assignments(
                        s.desiredGeneration(),
                        s.desiredSince(),
                        s.acknowledgedGeneration(),
                        s.acknowledgedAt(),
                        appliedGeneration,
                        s.desiredGeneration() == s.acknowledgedGeneration()
                                && s.applied()
                                && appliedGeneration >= s.desiredGeneration(),
                        s.applied(),
                        s.message(),
                        s.failedAssignmentIds(),
                        s.assignments()))
                .orElse(null);
    }
}
