package dev.weft.scheduler.planning;

import dev.weft.scheduler.planning.PlanRecord.Group;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** {@link Planning} for other features: what to keep placed, and where each version stands. */
@Service
class PlanningService implements Planning {

    private final PlanStore store;
    private final PlanningLoop loop;
    private final Clock clock;

    PlanningService(PlanStore store, PlanningLoop loop, Clock clock) {
        this.store = store;
        this.loop = loop;
        this.clock = clock;
    }

    @Override
    public void place(long versionId, long applicationId) {
        store.place(versionId, applicationId, clock.instant());
        afterCommit(() -> loop.request(versionId, new Trigger(Trigger.Kind.DEPLOYED, "placement requested")));
    }

    @Override
    public void release(long versionId) {
        if (store.release(versionId)) {
            afterCommit(() -> loop.request(versionId, new Trigger(Trigger.Kind.RELEASED, "release requested")));
        }
    }

    @Override
    public void forget(long versionId) {
        store.forget(versionId);
    }

    @Override
    public Optional<Placement> placement(long versionId) {
        Optional<PlanStore.Planned> planned = store.planned(versionId);
        Optional<PlanRecord> active = store.active(versionId);
        // only the newest generation's decision and shortfall are needed, not its groups
        Optional<PlanRecord> latest = store.latestSummary(versionId);
        if (planned.isEmpty() && active.isEmpty()) {
            return Optional.empty();
        }
        List<PlacedReplica> replicas = new ArrayList<>();
        int wanted = 0;
        List<String> shortfall = new ArrayList<>();
        if (active.isPresent()) {
            for (Group g : active.get().groups()) {
                wanted += g.replicas();
                g.assignments()
                        .forEach(a -> replicas.add(new PlacedReplica(a.assignmentId(), a.agentId(), g.components())));
            }
            active.get().unplaced().forEach(u -> shortfall.add(u.message()));
        } else {
            latest.ifPresent(l -> l.unplaced().forEach(u -> shortfall.add(u.message())));
        }
        return Optional.of(new Placement(
                versionId,
                active.map(PlanRecord::generation).orElse(null),
                active.map(p -> p.status().name()).orElse(null),
                replicas,
                wanted,
                shortfall,
                latest.map(PlanRecord::generation).orElse(null),
                latest.map(p -> p.decision().name()).orElse(null),
                latest.map(PlanRecord::decisionReason).orElse(""),
                planned.map(PlanStore.Planned::releasing).orElse(false)));
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
