package dev.weft.scheduler.planning;

import static java.util.Objects.requireNonNull;

import dev.weft.scheduler.agents.AgentSnapshot;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Everything one version's plan is computed from, read at one moment: the version, the live agents, what other
 * versions' active plans use on each agent, the plan running now, agents its replicas failed to start on too often,
 * and its load.
 */
record World(
        RegisteredVersion version,
        List<AgentSnapshot> live,
        Map<String, Usage> usedByOthers,
        @Nullable PlanRecord current,
        Set<String> failedAgents,
        MeasuredLoad load,
        Instant now) {

    World {
        requireNonNull(version, "version is null");
        live = List.copyOf(live);
        usedByOthers = Map.copyOf(usedByOthers);
        failedAgents = Set.copyOf(failedAgents);
    }

    /** CPU (millicores) and memory (MiB) that replicas assigned by active plans take on one agent. */
    record Usage(int cpuMillis, int memoryMiB) {
        static final Usage NONE = new Usage(0, 0);

        Usage plus(int cpu, int memory) {
            return new Usage(cpuMillis + cpu, memoryMiB + memory);
        }
    }

    World withLoad(MeasuredLoad newLoad) {
        return new World(version, live, usedByOthers, current, failedAgents, newLoad, now);
    }
}
