package dev.weft.scheduler.planning;

import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every {@code weft.planner.check-interval} on the leader: each planned version's running plan is checked against
 * today's agents (a replica on an agent gone, draining, over capacity or without a pinned label: re-plan at once —
 * a safety net behind the agent events) and its load against what its latest plan was computed on ({@link Drift}).
 */
@Component
class PlanChecks {

    private static final Logger log = LoggerFactory.getLogger(PlanChecks.class);

    private final PlanStore store;
    private final Registry registry;
    private final WorldReader worlds;
    private final PlanningLoop loop;
    private final Leadership leadership;
    private final PlanningProperties properties;

    PlanChecks(
            PlanStore store,
            Registry registry,
            WorldReader worlds,
            PlanningLoop loop,
            Leadership leadership,
            PlanningProperties properties) {
        this.store = store;
        this.registry = registry;
        this.worlds = worlds;
        this.loop = loop;
        this.leadership = leadership;
        this.properties = properties;
        loop.checksOnElection(this::scheduled);
    }

    @Scheduled(
            fixedDelayString = "${weft.planner.check-interval:10s}",
            initialDelayString = "${weft.planner.check-interval:10s}")
    void scheduled() {
        if (!leadership.leading()) {
            return;
        }
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("Plan check failed: {}", e.toString());
        }
    }

    void check() {
        for (PlanStore.Planned planned : store.planned()) {
            if (!planned.releasing()) {
                check(planned.versionId());
            }
        }
    }

    private void check(long versionId) {
        Optional<RegisteredVersion> version = registry.version(versionId);
        if (version.isEmpty()) {
            return;
        }
        World world = worlds.read(version.get());
        PlanRecord current = world.current();
        if (current == null || current.groups().isEmpty()) {
            return; // never placed (short of capacity): an agent joining plans it again
        }
        BuiltProblem built = ProblemBuilder.build(world, properties.model());
        List<String> problems = Validity.agentProblems(current, built);
        if (!problems.isEmpty()) {
            loop.request(versionId, new Trigger(Trigger.Kind.PLAN_INVALID, String.join("; ", problems)));
            return;
        }
        PlanRecord base = store.latest(versionId).orElse(current);
        PlanInputs inputs = base.inputs() != null ? base.inputs() : current.inputs();
        if (inputs == null) {
            return;
        }
        Drift.detect(inputs, world.load(), version.get(), properties.model(), Drift.Settings.of(properties))
                .ifPresent(what -> loop.request(versionId, new Trigger(Trigger.Kind.LOAD_CHANGED, what)));
    }
}
