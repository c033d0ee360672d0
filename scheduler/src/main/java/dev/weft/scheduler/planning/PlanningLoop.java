package dev.weft.scheduler.planning;

import dev.weft.scheduler.cluster.ClusterBus;
import dev.weft.scheduler.cluster.LeadershipEvent;
import dev.weft.scheduler.cluster.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gathers triggers per version and plans each version on one thread of its own, so plans of all versions are
 * decided one at a time. The first trigger of a version starts a wait of {@code weft.planner.debounce} (1 s);
 * triggers arriving meanwhile join it, so many triggers within that second give one plan. An urgent trigger (the
 * running plan lost an agent, a deploy, an operator) shortens the wait to {@code urgent-debounce} (100 ms). A
 * trigger that arrives while the version is being planned leads to one more plan after it. A plan that fails (the
 * database refused a write, a lock wait was broken, the connection dropped) is tried again with the same triggers
 * after {@code urgent-debounce}, twice as long after each further failure, at most {@code check-interval} apart,
 * until one succeeds; who waited for the failed one hears of the failure.
 *
 * <p>Only the leader plans. A trigger raised on another control-plane node (an agent lost or drained through it, a
 * deploy or a re-plan over its REST API) goes to the leader over the cluster bus ({@link #REQUESTS}); a re-plan
 * waited for is answered the same way ({@link #ANSWERS}). A node that becomes leader looks at every planned version
 * at once, since triggers sent while no node led reached nobody.
 */
@Component
class PlanningLoop implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PlanningLoop.class);

    /** A trigger for the leader, from the node where it arose; {@code versionId} null: every planned version. */
    static final Topic<Request> REQUESTS = Topic.of("planning.requests", Request.class);

    /** What came of a forwarded request that its node waits for. */
    static final Topic<Answer> ANSWERS = Topic.of("planning.answers", Answer.class);

    /** @param requestId set when the sending node waits for an {@link Answer} */
    record Request(
            String from,
            @Nullable Long versionId,
            Trigger trigger,
            @Nullable String requestId) {}

    /** @param generation the generation stored, or null: nothing was planned, {@code why} says why */
    record Answer(
            String to,
            String requestId,
            long versionId,
            @Nullable Long generation,
            String why) {}

    private final Replanner replanner;
    private final PlanStore store;
    private final Leadership leadership;
    private final PlanningProperties properties;
    private final ClusterBus bus;
    private final TransactionTemplate transactions;
    private final ScheduledExecutorService executor;
    private final Map<String, CompletableFuture<Replanner.Run>> awaited = new ConcurrentHashMap<>();
    // guarded by this
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Counter failed;
    /** Failures in a row of each version's planning, for the retry's backoff. */
    private final Map<Long, Integer> failures = new HashMap<>();

    private final List<Trigger> pendingAll = new ArrayList<>();

    private static final class Pending {
        final List<Trigger> triggers = new ArrayList<>();
        final List<CompletableFuture<Replanner.Run>> waiters = new ArrayList<>();
        long dueNanos;

        Pending(long dueNanos) {
            this.dueNanos = dueNanos;
        }
    }

    PlanningLoop(
            Replanner replanner,
            PlanStore store,
            Leadership leadership,
            PlanningProperties properties,
            ClusterBus bus,
            TransactionTemplate transactions,
            MeterRegistry meters) {
        this.failed = Counter.builder("weft.planner.failures")
                .description("Plans that could not be computed or stored (each is tried again with backoff)")
                .register(meters);
        this.replanner = replanner;
        this.store = store;
        this.leadership = leadership;
        this.properties = properties;
        this.bus = bus;
        this.transactions = transactions;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("weft-planner").daemon().factory());
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
        bus.subscribe(REQUESTS, this::received);
        bus.subscribe(ANSWERS, this::answered);
    }

    /** Plan the version soon (on the leader, wherever the trigger arose). */
    void request(long versionId, Trigger trigger) {
        if (!leadership.leading()) {
            forward(new Request(leadership.nodeId(), versionId, trigger, null));
            return;
        }
        enqueue(versionId, List.of(trigger), List.of(), delay(trigger));
    }

    /** Plan the version soon and say what came of it. */
    CompletableFuture<Replanner.Run> requestAndWait(long versionId, Trigger trigger) {
        CompletableFuture<Replanner.Run> done = new CompletableFuture<>();
        if (!leadership.leading()) {
            String id = UUID.randomUUID().toString();
            awaited.put(id, done);
            done.whenComplete((run, failure) -> awaited.remove(id));
            if (!forward(new Request(leadership.nodeId(), versionId, trigger, id))) {
                done.complete(new Replanner.Run.Nothing("the leader could not be told"));
            }
            return done;
        }
        enqueue(versionId, List.of(trigger), List.of(done), delay(trigger));
        return done;
    }

    /** Plan every planned version soon (an agent joined: there may be room, or a better place). */
    void requestAll(Trigger trigger) {
        // gathered for the debounce on any node: a thousand agents joining through a follower send the leader one
        // request, not a thousand
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

    private boolean forward(Request request) {
        try {
            transactions.executeWithoutResult(tx -> bus.publish(REQUESTS, request));
            return true;
        } catch (RuntimeException e) {
            // the leader's periodic checks and its election catch-up find what this trigger was about
            log.warn("Could not send {} to the leader: {}", request, e.toString());
            return false;
        }
    }

    /** A request from another node: the leader takes it as its own. */
    private void received(Request request) {
        if (!leadership.leading() || request.from().equals(leadership.nodeId())) {
            return;
        }
        Long versionId = request.versionId();
        String requestId = request.requestId();
        if (versionId == null) {
            requestAll(request.trigger());
        } else if (requestId == null) {
            request(versionId, request.trigger());
        } else {
            requestAndWait(versionId, request.trigger()).whenComplete((run, failure) -> {
                Answer answer = switch (run) {
                    case Replanner.Run.Stored stored ->
                        new Answer(
                                request.from(),
                                requestId,
                                versionId,
                                stored.plan().generation(),
                                "");
                    case Replanner.Run.Nothing nothing ->
                        new Answer(request.from(), requestId, versionId, null, nothing.why());
                    case Replanner.Run.Stale stale ->
                        new Answer(request.from(), requestId, versionId, null, "planned again");
                    case null -> new Answer(request.from(), requestId, versionId, null, "failed: " + failure);
                };
                try {
                    transactions.executeWithoutResult(tx -> bus.publish(ANSWERS, answer));
                } catch (RuntimeException e) {
                    log.warn("Could not answer {}: {}", request, e.toString());
                }
            });
        }
    }

    private void answered(Answer answer) {
        if (!answer.to().equals(leadership.nodeId())) {
            return;
        }
        CompletableFuture<Replanner.Run> waiting = awaited.get(answer.requestId());
        if (waiting == null) {
            return;
        }
        Long generation = answer.generation();
        Optional<PlanRecord> stored =
                generation == null ? Optional.empty() : store.generation(answer.versionId(), generation);
        waiting.complete(stored.<Replanner.Run>map(Replanner.Run.Stored::new)
                .orElseGet(() -> new Replanner.Run.Nothing(answer.why())));
    }

    /**
     * This node now leads: what its predecessor may have left undone (a trigger sent while no node led, a plan it
     * was computing when it died) is looked at now. Versions without an applied plan are planned; releasing ones
     * released; the others checked for validity and load drift by {@link PlanChecks}, which this only speeds up.
     */
    @EventListener
    void elected(LeadershipEvent.Acquired acquired) {
        var unused = executor.submit(() -> {
            try {
                Trigger trigger = new Trigger(
                        Trigger.Kind.LEADER_CHANGED,
                        "node '" + acquired.nodeId() + "' leads (epoch " + acquired.epoch() + ")");
                for (PlanStore.Planned planned : store.planned()) {
                    if (planned.releasing() || store.active(planned.versionId()).isEmpty()) {
                        enqueue(planned.versionId(), List.of(trigger), List.of(), 0);
                    }
                }
                if (checks != null) {
                    checks.run();
                }
            } catch (RuntimeException e) {
                log.warn("Could not catch up after becoming leader: {}", e.toString());
            }
        });
    }

    private volatile @Nullable Runnable checks;

    /** What {@link #elected} runs to check every planned version (PlanChecks, which depends on this loop). */
    void checksOnElection(Runnable checks) {
        this.checks = checks;
    }

    private void expandAll() {
        List<Trigger> triggers;
        synchronized (this) {
            triggers = List.copyOf(pendingAll);
            pendingAll.clear();
        }
        if (!leadership.leading()) {
            triggers.forEach(t -> forward(new Request(leadership.nodeId(), null, t, null)));
            return;
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
            failed.increment();
            long retry = retryDelayNanos(versionId);
            log.warn(
                    "Planning version {} failed ({}); trying again in {} ms",
                    versionId,
                    e.toString(),
                    TimeUnit.NANOSECONDS.toMillis(retry));
            p.waiters.forEach(w -> w.completeExceptionally(e));
            enqueue(versionId, p.triggers, List.of(), retry);
            return;
        }
        synchronized (this) {
            failures.remove(versionId);
        }
        if (run instanceof Replanner.Run.Stale) {
            enqueue(versionId, p.triggers, p.waiters, 0);
            return;
        }
        p.waiters.forEach(w -> w.complete(run));
    }

    /** One more failure of the version's planning: how long to wait before the next try. */
    private synchronized long retryDelayNanos(long versionId) {
        int failed = failures.merge(versionId, 1, Integer::sum);
        long first = properties.urgentDebounceOrDefault().toNanos();
        long most = Math.max(first, properties.checkIntervalOrDefault().toNanos());
        return failed > 30 ? most : Math.min(most, first << (failed - 1));
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
