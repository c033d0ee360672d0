package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import dev.weft.scheduler.agents.AgentSnapshot.ReportedReplica;
import java.util.List;

/**
 * What an agent said on its stream that other features act on, published on the thread that handled the
 * message (listeners must be quick: hand work to their own threads).
 */
public sealed interface AgentStreamEvent {

    String agentId();

    /**
     * A hello was accepted and the welcome sent: the agent is to be brought up to date now.
     *
     * @param address the address it advertised in this hello
     * @param appliedGeneration the generation of the last AssignmentSet it says it applied
     * @param replicas what it says it runs
     */
    record Connected(String agentId, String address, long appliedGeneration, List<ReportedReplica> replicas)
            implements AgentStreamEvent {
        public Connected {
            requireNonNull(agentId, "agentId is null");
            replicas = List.copyOf(replicas);
        }
    }

    /** An AssignmentAck, as the agent sent it. */
    record Acknowledged(
            String agentId, long generation, boolean applied, String message, List<String> failedAssignmentIds)
            implements AgentStreamEvent {
        public Acknowledged {
            requireNonNull(agentId, "agentId is null");
            failedAssignmentIds = List.copyOf(failedAssignmentIds);
        }
    }

    /** A heartbeat whose replicas differ from the agent's previous report. */
    record ReplicasChanged(String agentId, List<ReportedReplica> replicas) implements AgentStreamEvent {
        public ReplicasChanged {
            requireNonNull(agentId, "agentId is null");
            replicas = List.copyOf(replicas);
        }
    }
}
