package dev.weft.scheduler.agents;

import dev.weft.scheduler.agents.AgentRow.ReplicaRecord;
import dev.weft.scheduler.system.CommonError;
import dev.weft.scheduler.system.FieldError;
import dev.weft.scheduler.system.PageResponse;
import dev.weft.scheduler.system.Paging;
import dev.weft.scheduler.system.WeftException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Agents", description = "The processes that run replicas, and operator actions on them")
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

    @Operation(summary = "List agents by id, optionally only those in one state")
    @ApiResponse(responseCode = "200", description = "One page of agents")
    @ApiResponse(
            responseCode = "400",
            description = "INVALID_PARAMETER: an unknown state, page below 0, size outside 1..500, or page × size"
                    + " above 2147483647")
    @GetMapping
    PageResponse<AgentView> list(
            @Parameter(
                            description = "Only agents in this state (any letter case)",
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {
                                                "connected",
                                                "disconnected",
                                                "lost",
                                                "released",
                                                "revoked"
                                            }))
                    @RequestParam(required = false)
                    @Nullable
                    String state,
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

    @Operation(summary = "Read one agent")
    @ApiResponse(responseCode = "200", description = "The agent")
    @ApiResponse(responseCode = "404", description = "AGENT_NOT_FOUND")
    @GetMapping("/{id}")
    AgentView get(@PathVariable String id) {
        return view(operations.get(id));
    }

    @Operation(summary = "Cordon an agent: it keeps its replicas but gets no new ones")
    @ApiResponse(responseCode = "200", description = "The agent after the action")
    @ApiResponse(responseCode = "404", description = "AGENT_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "AGENT_REVOKED: the agent was revoked and takes no more actions")
    @PostMapping("/{id}/cordon")
    AgentView cordon(@PathVariable String id) {
        return view(operations.cordon(id, true));
    }

    @Operation(summary = "Return a cordoned or draining agent to service")
    @ApiResponse(responseCode = "200", description = "The agent after the action")
    @ApiResponse(responseCode = "404", description = "AGENT_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "AGENT_REVOKED: the agent was revoked and takes no more actions")
    @PostMapping("/{id}/uncordon")
    AgentView uncordon(@PathVariable String id) {
        return view(operations.cordon(id, false));
    }

    @Operation(summary = "Drain an agent: its replicas move elsewhere, then it is released")
    @ApiResponse(responseCode = "200", description = "The agent after the action")
    @ApiResponse(responseCode = "404", description = "AGENT_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "AGENT_REVOKED: the agent was revoked and takes no more actions")
    @PostMapping("/{id}/drain")
    AgentView drain(@PathVariable String id) {
        return view(operations.drain(id));
    }

    @Operation(summary = "Revoke an agent: its stream ends and it may never connect again")
    @ApiResponse(responseCode = "200", description = "The agent after the action")
    @ApiResponse(responseCode = "404", description = "AGENT_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "AGENT_REVOKED: the agent was revoked and takes no more actions")
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
