package dev.weft.scheduler.planning;

import dev.weft.placement.PlanResult;
import dev.weft.placement.Planner;
import dev.weft.scheduler.agents.AgentSnapshot;
import dev.weft.scheduler.cluster.Term;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.planning.PlanRecord.Assignment;
import dev.weft.scheduler.planning.PlanRecord.Decision;
import dev.weft.scheduler.planning.PlanRecord.Group;
import dev.weft.scheduler.planning.PlanRecord.Status;
import dev.weft.scheduler.push.Push;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plans one version once: reads its world, runs the planner outside any transaction, then — in one transaction that
 * locks the version's row and is fenced with the leader's epoch — stores the generation, decides, and applies it
 * (the active plan switches and the replicas go to {@link Push} in the same transaction).
 */
@Component
class Replanner {

    /** What one run produced: the stored generation, or why none was stored. */
    sealed interface Run {
        record Stored(PlanRecord plan) implements Run {}

        /** Nothing to plan: the version is not planned any more, or has no plan to release. */
        record Nothing(String why) implements Run {}

        /** The running plan changed while this one was computed: plan again. */
        record Stale() implements Run {}
    }

    private final Registry registry;
    private final WorldReader worlds;
    private final PlanStore store;
    private final Push push;
    private final Leadership leadership;
    private final AuditLog auditLog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final PlanningProperties properties;
    private final Clock clock;
    private final Timer planning;
    private final Timer applying;

    Replanner(
            Registry registry,
            WorldReader worlds,
            PlanStore store,
            Push push,
            Leadership leadership,
            AuditLog auditLog,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            PlanningProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.registry = registry;
        this.worlds = worlds;
        this.store = store;
        this.push = push;
        this.leadership = leadership;
        this.auditLog = auditLog;
        this.events = events;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
        this.planning = Timer.builder("weft.planner.plan")
                .description("Time to read a version's inputs and compute its plan (outside any transaction)")
                .register(meters);
        this.applying = Timer.builder("weft.planner.apply")
                .description("Time of the transaction that stores, decides and applies one plan")
                .register(meters);
    }

    Run replan(long versionId, List<Trigger> triggers) {
        Optional<PlanStore.Planned> planned = store.planned(versionId);
        if (planned.isEmpty()) {
            return new Run.Nothing("the version is not deployed");
        }
        Optional<RegisteredVersion> found = registry.version(versionId);
        if (found.isEmpty()) {
            transactions.executeWithoutResult(tx -> store.forget(versionId));
            return new Run.Nothing("the version was deleted");
        }
        RegisteredVersion version = found.get();
        Optional<Term> leading = leadership.term();
        if (leading.isEmpty()) {
            return new Run.Nothing("this control-plane node is not the leader");
        }
        Term term = leading.get();
        if (planned.get().releasing()) {
            return Objects.requireNonNull(transactions.execute(tx -> release(version, triggers, term)));
        }
        long started = System.nanoTime();
        World world = worlds.read(version);
        BuiltProblem built = ProblemBuilder.build(world, properties.model());
        PlanResult result = new Planner(properties.options()).plan(built.problem());
        long computed = System.nanoTime();
        planning.record(computed - started, TimeUnit.NANOSECONDS);
        return Objects.requireNonNull(applying.record(() -> transactions.execute(tx -> {
            Optional<PlanStore.Planned> locked = store.lockPlanned(versionId);
            if (locked.isEmpty() || locked.get().releasing()) {
                return new Run.Stale();
            }
            term.check(); // a deposed leader's transaction stops here and rolls back: nothing is applied
            PlanRecord current = store.active(versionId).orElse(null);
            if (!sameGeneration(current, world.current())) {
                return new Run.Stale();
            }
            long generation = store.nextGeneration(versionId);
            Decider.Outcome outcome = Decider.decide(
                    built, result, current, versionId, generation, properties.hysteresisMarginOrDefault());
            PlanRecord record = record(version, generation, outcome, triggers, built.inputs(), current);
            store.write(record, componentIds(version), term.epoch());
            if (outcome.decision().applied()) {
                store.activate(versionId, generation, clock.instant());
                push.place(replicas(version, locked.get().applicationId(), outcome.groups(), built.agents()));
            }
            announce(version, record, outcome.decision().applied() ? record : current);
            return new Run.Stored(record);
        })));
    }

    private Run release(RegisteredVersion version, List<Trigger> triggers, Term term) {
        Optional<PlanStore.Planned> locked = store.lockPlanned(version.id());
        if (locked.isEmpty()) {
            return new Run.Nothing("the version is not deployed");
        }
        term.check();
        PlanRecord current = store.active(version.id()).orElse(null);
        if (current == null || current.groups().isEmpty()) {
            return new Run.Nothing("the version runs nothing");
        }
        long generation = store.nextGeneration(version.id());
        Decider.Outcome outcome = new Decider.Outcome(
                Status.RELEASE,
                Decision.APPLIED_RELEASE,
                "the version is released: its replicas are stopped",
                List.of(),
                null,
                null,
                List.of(),
                null,
                false,
                List.of());
        PlanRecord record = record(version, generation, outcome, triggers, null, current);
        store.write(record, componentIds(version), term.epoch());
        store.activate(version.id(), generation, clock.instant());
        push.place(replicas(version, locked.get().applicationId(), List.of(), Map.of()));
        announce(version, record, record);
        return new Run.Stored(record);
    }

    private static boolean sameGeneration(@Nullable PlanRecord a, @Nullable PlanRecord b) {
        return a == null ? b == null : b != null && a.generation() == b.generation();
    }

    private PlanRecord record(
            RegisteredVersion version,
            long generation,
            Decider.Outcome outcome,
            List<Trigger> triggers,
            @Nullable PlanInputs inputs,
            @Nullable PlanRecord current) {
        boolean applied = outcome.decision().applied();
        List<Group> before = current == null ? List.of() : current.groups();
        return new PlanRecord(
                version.id(),
                generation,
                outcome.status(),
                applied,
                applied,
                outcome.decision(),
                outcome.reason(),
                triggers,
                inputs,
                outcome.groups(),
                outcome.score(),
                outcome.baselines(),
                outcome.explanations(),
                outcome.solver(),
                outcome.provenOptimal(),
                outcome.unplaced(),
                current == null ? null : current.generation(),
                outcome.groups().isEmpty() && outcome.status() != Status.RELEASE
                        ? PlanDiffView.NONE
                        : PlanDiffView.between(before, outcome.groups()),
                clock.instant(),
                applied ? clock.instant() : null);
    }

    /** Audit events for what users must hear about, and the decision for other features. */
    private void announce(RegisteredVersion version, PlanRecord record, @Nullable PlanRecord active) {
        String name = version.application() + " " + version.name();
        if (record.applied()) {
            PlanDiffView d = record.diff();
            auditLog.record(AuditEvent.ofVersion(
                    "PLAN_APPLIED",
                    version.application(),
                    version.name(),
                    "Plan generation " + record.generation() + " of " + name + " applied: " + record.decisionReason()
                            + " (" + record.placedReplicas() + " replica(s) in "
                            + record.groups().size()
                            + " group(s); " + d.moved() + " moved, " + d.added() + " added, " + d.removed()
                            + " removed)",
                    Map.of(
                            "generation", record.generation(),
                            "decision", record.decision().name(),
                            "moved", d.moved(),
                            "added", d.added(),
                            "removed", d.removed())));
        }
        if (!record.unplaced().isEmpty()) {
            auditLog.record(AuditEvent.ofVersion(
                    "CAPACITY_SHORTFALL",
                    version.application(),
                    version.name(),
                    "Plan generation " + record.generation() + " of " + name + " could not place everything: "
                            + record.unplaced().stream()
                                    .map(PlanRecord.Unplaced::message)
                                    .collect(Collectors.joining("; "))
                            + (record.applied()
                                    ? " (what fits runs)"
                                    : active == null ? " (nothing runs yet)" : " (the running plan stays)"),
                    Map.of(
                            "generation",
                            record.generation(),
                            "status",
                            record.status().name())));
        }
        boolean complete = active != null
                && active.status() != Status.INFEASIBLE
                && active.unplaced().isEmpty()
                && active.placedReplicas() >= active.wantedReplicas();
        events.publishEvent(new PlanDecided(
                version.id(),
                version.application(),
                version.name(),
                record.generation(),
                record.status().name(),
                record.decision().name(),
                record.applied(),
                record.decisionReason(),
                complete));
    }

    private static Map<String, Long> componentIds(RegisteredVersion version) {
        Map<String, Long> out = new HashMap<>();
        version.components().forEach(c -> out.put(c.name(), c.id()));
        return out;
    }

    static Push.VersionReplicas replicas(
            RegisteredVersion version, long applicationId, List<Group> groups, Map<String, AgentSnapshot> agents) {
        List<Push.Replica> replicas = new ArrayList<>();
        for (Group g : groups) {
            for (Assignment a : g.assignments()) {
                AgentSnapshot agent = agents.get(a.agentId());
                replicas.add(new Push.Replica(
                        a.assignmentId(),
                        a.agentId(),
                        agent == null ? "" : agent.address(),
                        g.index(),
                        g.components(),
                        a.replicaIndex(),
                        a.cpuMillis(),
                        a.memoryMiB()));
            }
        }
        return new Push.VersionReplicas(
                applicationId,
                version.application(),
                version.id(),
                version.name(),
                version.artifact(),
                version.components().stream().map(RegisteredComponent::name).toList(),
                version.components().stream()
                        .filter(RegisteredComponent::ingress)
                        .map(RegisteredComponent::name)
                        .collect(Collectors.toSet()),
                replicas);
    }
}
