package dev.weft.placement.assign;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * What one group asks of the agents.
 *
 * @param groupId       stable id of the group
 * @param replicas      replicas to place, each on a distinct agent
 * @param cpuPerReplica requested cores of one replica
 * @param memPerReplica requested GiB of one replica
 * @param labels        labels every hosting agent must carry
 * @param keep          agents that ran this group before, tried first so replicas stay put
 */
public record Demand(
        String groupId,
        int replicas,
        double cpuPerReplica,
        double memPerReplica,
        Set<String> labels,
        List<String> keep) {
    public Demand {
        requireNonNull(groupId, "groupId is null");
        labels = Set.copyOf(labels);
        keep = List.copyOf(keep);
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas of " + groupId + " must be >= 0");
        }
    }
}
