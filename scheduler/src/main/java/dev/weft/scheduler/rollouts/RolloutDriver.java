package dev.weft.scheduler.rollouts;

import dev.weft.rollout.Rollouts;
import dev.weft.rollout.Transition;
import dev.weft.scheduler.cluster.Leadership;
import dev.weft.scheduler.cluster.LeadershipEvent;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.rollouts.RolloutStore.Stored;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives every rollout in flight, on the leader only: every {@code weft.rollouts.tick-interval}, and within a few
 * milliseconds of anything that may move one (a deployment's state, a violation, an operator's request). A rollout
 * this leader has not driven yet in its term is taken over first ({@link Rollouts#takeOver}), so the time no driver
 * ran (a restart, a failover) does not count towards its hold. Each move is decided and stored in one transaction,
 * fenced by the leader's term and holding the application's and the rollout's rows; its actions follow the commit.
 */
@Component
class RolloutDriver implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RolloutDriver.class);

    private final RolloutStore store;
    private final RolloutObserver observer;
    private final RolloutMoves moves;
    private final Rollouts rules;
    private final Leadership leadership;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Set<Long> takenOver = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService soon = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("weft-rollouts").daemon().factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile long termEpoch;

    RolloutDriver(
            RolloutStore store,
            RolloutObserver observer,
            RolloutMoves moves,
            Rollouts rules,
            Leadership leadership,
            TransactionTemplate transactions,
            Clock clock) {
        this.store = store;
        this.observer = observer;
        this.moves = moves;
        this.rules = rules;
        this.leadership = leadership;
        this.transactions = transactions;
        this.clock = clock;
    }

    @EventListener
    void elected(LeadershipEvent.Acquired acquired) {
        soon();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void recorded(AuditEvent event) {
        String kind = event.kind();
        if (kind.startsWith("DEPLOYMENT_") || kind.equals("VERSION_VIOLATION") || kind.startsWith("ROLLOUT_")) {
            soon();
        }
    }

    /** Drives within a few milliseconds, once however many ask meanwhile. */
    void soon() {
        if (queued.compareAndSet(false, true)) {
            var unused = soon.schedule(
                    () -> {
                        queued.set(false);
                        tick();
                    },
                    10,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Scheduled(
            fixedDelayString = "${weft.rollouts.tick-interval:1s}",
            initialDelayString = "${weft.rollouts.tick-interval:1s}")
    void scheduled() {
        tick();
    }

    synchronized void tick() {
        Optional<dev.weft.scheduler.cluster.Term> term = leadership.term();
        if (term.isEmpty()) {
            takenOver.clear();
            return;
        }
        if (term.get().epoch() != termEpoch) {
            // a new term: every rollout is taken over again, and recently finished ones get their last actions
            // re-asserted (a crash may have come between a final move's commit and its release)
            takenOver.clear();
            termEpoch = term.get().epoch();
            try {
                for (long id : store.finishedSince(clock.instant().minus(Duration.ofHours(1)))) {
                    store.find(id).ifPresent(r -> moves.reconcile(r.state()));
                }
            } catch (RuntimeException e) {
                log.warn("Could not re-check finished rollouts: {}", e.toString());
            }
        }
        List<Long> ids;
        try {
            ids = store.activeIds();
        } catch (RuntimeException e) {
            log.warn("Could not read rollouts: {}", e.toString());
            return;
        }
        for (long id : ids) {
            try {
                drive(id);
            } catch (RuntimeException e) {
                log.warn("Could not advance rollout {}: {}", id, e.toString());
            }
        }
    }

    private void drive(long id) {
        if (!takenOver.contains(id)) {
            transactions.executeWithoutResult(tx -> {
                leadership.requireTerm().check();
                Stored locked = lockedRollout(id);
                if (locked != null) {
                    moves.persist(locked, rules.takeOver(locked.state(), locked.policy()));
                }
            });
            takenOver.add(id);
        }
        Stored seen = store.find(id).orElse(null);
        if (seen == null || seen.state().isFinished()) {
            return;
        }
        var observation = observer.observe(seen);
        Moved moved = transactions.execute(tx -> {
            leadership.requireTerm().check(); // a deposed leader moves nothing
            Stored locked = lockedRollout(id);
            if (locked == null || locked.state().isFinished()) {
                return null;
            }
            Transition t = rules.advance(locked.state(), locked.policy(), observation);
            return new Moved(moves.persist(locked, t), t);
        });
        if (moved == null) {
            return;
        }
        moves.carryOut(moved.rollout().state(), moved.transition().actions());
        moves.reconcile(moved.rollout().state());
    }

    private record Moved(Stored rollout, Transition transition) {}

    /** The rollout with its application's row and its own locked, in that order (as deployments lock). */
    private @org.jspecify.annotations.Nullable Stored lockedRollout(long id) {
        Optional<Stored> seen = store.find(id);
        if (seen.isEmpty()) {
            return null;
        }
        store.lockApplication(seen.get().state().application());
        return store.lock(id).orElse(null);
    }

    @Override
    public void destroy() {
        soon.shutdownNow();
    }
}
