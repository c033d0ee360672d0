package dev.weft.scheduler.planning;

import dev.weft.scheduler.agents.AgentDirectory;
import dev.weft.scheduler.push.Push;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** Reads one version's {@link World}: agents, other versions' usage, the running plan, failures and load. */
@Component
class WorldReader {

    private final AgentDirectory agents;
    private final PlanStore plans;
    private final Push push;
    private final LoadReader load;
    private final Clock clock;

    WorldReader(AgentDirectory agents, PlanStore plans, Push push, LoadReader load, Clock clock) {
        this.agents = agents;
        this.plans = plans;
        this.push = push;
        this.load = load;
        this.clock = clock;
    }

    World read(RegisteredVersion version) {
        Instant now = clock.instant();
        return new World(
                version,
                agents.live(),
                plans.usageByOthers(version.id()),
                plans.active(version.id()).orElse(null),
                push.excludedAgents(version.id()),
                load.read(version.id(), now),
                now);
    }
}
