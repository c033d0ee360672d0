package dev.weft.scheduler.push;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * What the planner and deployments tell agents. The changing calls join the caller's transaction (they must be
 * called in one): they record the new desired state with increased generations, and the affected agents are sent
 * it within a second after the transaction commits, on whichever control-plane node holds their streams. A rolled
 * back transaction pushes nothing.
 */
public interface Push {

    /**
     * The version's replicas are now exactly these (an empty list: it runs nothing). Each affected agent gets its
     * whole new AssignmentSet; the version's RoutingTable goes to the agents that host it; the application's
     * TrafficSplit, once set, is refreshed when the version's ingress replicas changed.
     */
    void place(VersionReplicas replicas);

    /**
     * The application's traffic split: weights in routing order (the version a rollout moves to first, then the one
     * it moves from, then any others at weight 0), in basis points adding up to 10000, or no weights at all (no
     * version serves). Sent to every agent hosting an ingress component of a placed version of the application.
     */
    void split(long applicationId, String application, List<Weight> weights);

    /** Agents excluded from the version's plans because replicas of it failed to start on them too often. */
    Set<String> excludedAgents(long versionId);

    /**
     * One version's replicas, as applying its plan decided.
     *
     * @param components every component of the version (each gets a route, empty while no replica hosts it)
     */
    record VersionReplicas(
            long applicationId,
            String application,
            long versionId,
            String version,
            String artifact,
            List<String> components,
            Set<String> ingressComponents,
            List<Replica> replicas) {
        public VersionReplicas {
            requireNonNull(application, "application is null");
            requireNonNull(version, "version is null");
            requireNonNull(artifact, "artifact is null");
            components = List.copyOf(components);
            ingressComponents = Set.copyOf(ingressComponents);
            replicas = List.copyOf(replicas);
        }
    }

    /**
     * One replica: what the agent runs ({@code components} in one process) and where other agents reach it.
     *
     * @param assignmentId stable while the replica stays on its agent with the same components
     * @param agentAddress the hosting agent's advertised {@code host:port}, the replica's endpoint
     */
    record Replica(
            String assignmentId,
            String agentId,
            String agentAddress,
            int groupIndex,
            List<String> components,
            int replicaIndex,
            int cpuMillis,
            int memoryMiB) {
        public Replica {
            requireNonNull(assignmentId, "assignmentId is null");
            requireNonNull(agentId, "agentId is null");
            requireNonNull(agentAddress, "agentAddress is null");
            components = List.copyOf(components);
        }
    }

    /** A version's share of an application's new requests, in basis points (0..10000). */
    record Weight(String version, int basisPoints) {
        public Weight {
            requireNonNull(version, "version is null");
            if (basisPoints < 0 || basisPoints > 10_000) {
                throw new IllegalArgumentException("weight of " + version + " must be 0..10000 bp, was " + basisPoints);
            }
        }
    }
}
