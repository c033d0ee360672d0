package dev.weft.scheduler.planning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Gathers triggers per version and plans each version on one thread of its own, so plans of all versions are
 * decided one at a time. The first trigger of a version starts a wait of {@code weft.planner.debounce} (1 s);
 * triggers arriving meanwhile join it, so many triggers within that second give one plan. An urgent trigger (the
 * running plan lost an agent, a deploy, an operator) shortens the wait to {@code urgent-debounce} (100 ms). A
 * trigger that arrives while the version is being planned leads to one more plan after it. Only the leader plans.
 */
@Component
class PlanningLoop implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PlanningLoop.class);

    private final Replanner replanner;
    private final PlanStore store;
    private final Leadership leadership;
    private final PlanningProperties properties;
    private final ScheduledExecutorService executor;
    // guarded by this
    private final Map<Long, Pending> pending = new HashMap<>();
    private final List<Trigger> pendingAll = new ArrayList<>();

    private static final class Pending {
        final List<Trigger> triggers = new ArrayList<>();
        final List<CompletableFuture<Replanner.Run>> waiters = new ArrayList<>();
        long dueNanos;

        Pending(long dueNanos) {
            this.dueNanos = dueNanos;
        }
    }

    PlanningLoop(Replanner replanner, PlanStore store, Leadership leadership, PlanningProperties properties) {
        this.replanner = replanner;
        this.store = store;
        this.leadership = leadership;
        this.properties = properties;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("weft-planner").daemon().factory());
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    /** Plan the version soon. */
    void request(long versionId, Trigger trigger) {
        enqueue(versionId, List.of(trigger), List.of(), delay(trigger));
    }

    /** Plan the version soon and say what came of it. */
    CompletableFuture<Replanner.Run> requestAndWait(long versionId, Trigger trigger) {
        CompletableFuture<Replanner.Run> done = new CompletableFuture<>();
        enqueue(versionId, List.of(trigger), List.of(done), delay(trigger));
        return done;
    }

    /** Plan every planned version soon (an agent joined: there may be room, or a better place). */
    void requestAll(Trigger trigger) {
        if (!leadership.leading()) {
            return;
        }
        long delay = delay(trigger);
        synchronized (this) {
            boolean first = pendingAll.isEmpty();
            if (!pendingAll.contains(trigger)) {
                pendingAll.add(trigger);
            }
            if (!first) {
                return;
            }
        }
        var unused = executor.schedule(this::expandAll, delay, TimeUnit.NANOSECONDS);
    }

    private void expandAll() {
        List<Trigger> triggers;
        synchronized (this) {
            triggers = List.copyOf(pendingAll);
            pendingAll.clear();
        }
        try {
            for (PlanStore.Planned planned : store.planned()) {
                if (!planned.releasing()) {
                    // the debounce was waited already: due at once
                    enqueue(planned.versionId(), triggers, List.of(), 0);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not list the versions to plan after {}: {}", triggers, e.toString());
        }
    }

    private long delay(Trigger trigger) {
        return (trigger.kind().urgent() ? properties.urgentDebounceOrDefault() : properties.debounceOrDefault())
                .toNanos();
    }

    private void enqueue(
            long versionId, List<Trigger> triggers, List<CompletableFuture<Replanner.Run>> waiters, long delayNanos) {
        if (!leadership.leading()) {
            waiters.forEach(w -> w.complete(new Replanner.Run.Nothing("this control-plane node is not the leader")));
            return;
        }
        long due = System.nanoTime() + delayNanos;
        boolean schedule;
        synchronized (this) {
            Pending p = pending.get(versionId);
            schedule = p == null || due < p.dueNanos;
            if (p == null) {
                p = new Pending(due);
                pending.put(versionId, p);
            }
            p.dueNanos = Math.min(p.dueNanos, due);
            for (Trigger t : triggers) {
                if (!p.triggers.contains(t)) {
                    p.triggers.add(t);
                }
            }
            p.waiters.addAll(waiters);
        }
        if (schedule) {
            var unused = executor.schedule(() -> runIfDue(versionId), delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void runIfDue(long versionId) {
        Pending p;
        synchronized (this) {
            p = pending.get(versionId);
            if (p == null || p.dueNanos > System.nanoTime() + 1_000_000) {
                return; // planned already, or an earlier task was moved up and a later one will run it
            }
            pending.remove(versionId);
        }
        Replanner.Run run;
        try {
            run = replanner.replan(versionId, p.triggers);
        } catch (RuntimeException e) {
            log.warn(
                    "Planning version {} failed ({}); the next trigger or check plans it again",
                    versionId,
                    e.toString());
            p.waiters.forEach(w -> w.completeExceptionally(e));
            return;
        }
        if (run instanceof Replanner.Run.Stale) {
            enqueue(versionId, p.triggers, p.waiters, 0);
            return;
        }
        p.waiters.forEach(w -> w.complete(run));
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
