package dev.weft.placement;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One process image of the plan and where its replicas run.
 *
 * @param id         stable id: the alphabetically first component name
 * @param components components sharing the process, sorted by name
 * @param replicas   replicas(g)
 * @param cpu        cpu(g): the components' cpu plus their share of remote-call overhead
 * @param cores      requested cores of all replicas together
 * @param memory     requested GiB of all replicas together
 * @param labels     labels every hosting agent carries (from pins), sorted so output is stable
 * @param agents     the agent of each replica
 */
public record PlannedGroup(
        String id,
        List<String> components,
        int replicas,
        double cpu,
        double cores,
        double memory,
        List<String> labels,
        List<String> agents) {
    public PlannedGroup {
        requireNonNull(id, "id is null");
        components = List.copyOf(components);
        labels = labels.stream().sorted().toList();
        agents = List.copyOf(agents);
    }
}
