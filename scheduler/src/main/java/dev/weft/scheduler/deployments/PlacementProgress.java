package dev.weft.scheduler.deployments;

import dev.weft.scheduler.agents.AgentDirectory;
import dev.weft.scheduler.agents.AgentSnapshot;
import dev.weft.scheduler.agents.AgentStreamEvent;
import dev.weft.scheduler.cluster.Leadership;
import dev.weft.scheduler.deployments.DeploymentStore.Row;
import dev.weft.scheduler.deployments.Deployments.State;
import dev.weft.scheduler.deployments.Deployments.Weight;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.planning.PlanDecided;
import dev.weft.scheduler.planning.Planning;
import dev.weft.scheduler.push.Push;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves deployments along as their plans are decided and their agents report replicas running: PLACING → PLACED once
 * fully placed (and, for an application's first version, 100 % of its traffic then), SHORT_OF_CAPACITY or FAILED when
 * no plan fits, RELEASING → RELEASED once no agent runs the version. Runs on plan decisions, on heartbeats whose
 * replicas changed, and every {@code weft.deployments.check-interval} (500 ms). Only the leader moves them, each move
 * fenced with its term (a deposed leader cannot give a version traffic); heartbeats reach the leader through the
 * database, so a replica reported to another node counts at the next check.
 */
@Component
class PlacementProgress implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PlacementProgress.class);

    private final DeploymentStore store;
    private final Planning planning;
    private final AgentDirectory agents;
    private final Push push;
    private final TrafficSplitter splitter;
    private final AuditLog auditLog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Leadership leadership;
    private final ScheduledExecutorService soon = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("weft-deployments").daemon().factory());
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    /** How long the last check took, capped at a second. */
    private volatile long lastCheckMillis;

    PlacementProgress(
            DeploymentStore store,
            Planning planning,
            AgentDirectory agents,
            Push push,
            TrafficSplitter splitter,
            AuditLog auditLog,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            Clock clock,
            Leadership leadership) {
        this.store = store;
        this.planning = planning;
        this.agents = agents;
        this.push = push;
        this.splitter = splitter;
        this.auditLog = auditLog;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.leadership = leadership;
    }

    /** A version's replicas: wanted by its active plan, and running. */
    record Count(@Nullable Long generation, int wanted, int running) {}

    Count count(Row row) {
        Optional<Planning.Placement> placement = planning.placement(row.versionId());
        if (placement.isEmpty() || placement.get().appliedGeneration() == null) {
            return new Count(null, 0, 0);
        }
        return new Count(
                placement.get().appliedGeneration(), placement.get().replicasWanted(), running(placement.get()));
    }

    /** Replicas of the placement reported RUNNING, with their assignment id, by their connected agents. */
    private int running(Planning.Placement placement) {
        Set<String> ids = new HashSet<>();
        placement.replicas().forEach(r -> ids.add(r.agentId()));
        Map<String, List<AgentSnapshot.ReportedReplica>> found = agents.connectedReplicas(ids);
        int running = 0;
        for (Planning.PlacedReplica r : placement.replicas()) {
            List<AgentSnapshot.ReportedReplica> reported = found.get(r.agentId());
            if (reported != null
                    && reported.stream().anyMatch(x -> x.assignmentId().equals(r.assignmentId()) && x.running())) {
                running++;
            }
        }
        return running;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void decided(PlanDecided decided) {
        checkSoon();
    }

    @EventListener
    void replicasChanged(AgentStreamEvent.ReplicasChanged changed) {
        checkSoon();
    }

    /**
     * Checks within a few milliseconds, once however many ask meanwhile — but no sooner after the last check than
     * that check took, so that while thousands of agents report their replicas starting (each report asks) the
     * checks, which read the version's plan and its agents, take at most about half of one core.
     */
    void checkSoon() {
        if (checkQueued.compareAndSet(false, true)) {
            long delay = Math.max(20, lastCheckMillis);
            var unused = soon.schedule(
                    () -> {
                        checkQueued.set(false);
                        check();
                    },
                    delay,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Scheduled(
            fixedDelayString = "${weft.deployments.check-interval:500ms}",
            initialDelayString = "${weft.deployments.check-interval:500ms}")
    void scheduled() {
        check();
    }

    synchronized void check() {
        if (!leadership.isLeader()) {
            return;
        }
        long started = System.nanoTime();
        try {
            checkAll();
        } finally {
            lastCheckMillis = Math.min(1000, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void checkAll() {
        List<Row> rows;
        try {
            rows = store.unreleased();
        } catch (RuntimeException e) {
            log.warn("Could not read deployments: {}", e.toString());
            return;
        }
        for (Row row : rows) {
            try {
                advance(row);
            } catch (RuntimeException e) {
                log.warn(
                        "Could not advance the deployment of {} {}: {}",
                        row.application(),
                        row.version(),
                        e.toString());
            }
        }
    }

    private void advance(Row row) {
        Optional<Planning.Placement> found = planning.placement(row.versionId());
        switch (row.state()) {
            case RELEASING -> {
                boolean stopped = found.isEmpty() || found.get().replicas().isEmpty();
                if (stopped && !runsAnywhere(row)) {
                    move(row, State.RELEASED, "no agent runs it any more", () -> planning.forget(row.versionId()));
                }
            }
            case RELEASED -> {}
            case PLACING, SHORT_OF_CAPACITY, FAILED, PLACED -> {
                if (found.isEmpty()) {
                    return;
                }
                Planning.Placement p = found.get();
                if (p.appliedGeneration() == null) {
                    if ("KEPT_INFEASIBLE".equals(p.latestDecision())) {
                        Set<String> failed = push.excludedAgents(row.versionId());
                        if (failed.isEmpty()) {
                            move(row, State.SHORT_OF_CAPACITY, p.latestReason(), () -> {});
                        } else {
                            move(
                                    row,
                                    State.FAILED,
                                    "its replicas failed to start on " + failed + " and " + p.latestReason(),
                                    () -> {});
                        }
                    }
                    return;
                }
                if (!p.complete()) {
                    if (row.state() != State.PLACED || !p.shortfall().isEmpty()) {
                        move(
                                row,
                                State.SHORT_OF_CAPACITY,
                                "part of its plan could not be placed: " + String.join("; ", p.shortfall()),
                                () -> {});
                    }
                    return;
                }
                int running = running(p);
                if (running >= p.replicasWanted()) {
                    if (row.state() != State.PLACED) {
                        move(
                                row,
                                State.PLACED,
                                "all " + p.replicasWanted() + " replica(s) of plan generation " + p.appliedGeneration()
                                        + " run",
                                () -> giveTraffic(row));
                    }
                } else if (row.state() != State.PLACED) {
                    String reason = running + " of " + p.replicasWanted() + " replica(s) of plan generation "
                            + p.appliedGeneration() + " run";
                    if (row.state() == State.PLACING) {
                        if (!reason.equals(row.reason())) {
                            store.reason(row.versionId(), reason);
                        }
                    } else {
                        move(row, State.PLACING, reason, () -> {});
                    }
                }
            }
        }
    }

    /** An application's first version gets 100 % once placed, unless traffic already goes somewhere. */
    private void giveTraffic(Row row) {
        if (!row.takesTraffic()) {
            return;
        }
        List<Weight> weights = store.weights(row.applicationId());
        if (weights.stream().anyMatch(w -> w.basisPoints() > 0)) {
            return;
        }
        splitter.split(
                row.applicationId(),
                row.application(),
                List.of(new Weight(row.version(), 10_000)),
                "version '" + row.version() + "' is fully placed");
    }

    private boolean runsAnywhere(Row row) {
        for (List<AgentSnapshot.ReportedReplica> replicas :
                agents.liveReplicas().values()) {
            for (AgentSnapshot.ReportedReplica r : replicas) {
                if (r.application().equals(row.application()) && r.version().equals(row.version())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void move(Row row, State to, String reason, Runnable then) {
        if (row.state() == to && reason.equals(row.reason())) {
            return;
        }
        transactions.executeWithoutResult(tx -> {
            leadership.requireTerm().check(); // a deposed leader moves nothing
            // the application's row first, as deploys and undeploys take it: no lock-order deadlock
            store.lockApplication(row.application());
            if (row.state() == to) {
                store.reason(row.versionId(), reason);
                return;
            }
            if (!store.transition(row.versionId(), row.state(), to, reason, clock.instant())) {
                return; // moved meanwhile (undeployed, say): the next check sees the new state
            }
            auditLog.record(AuditEvent.ofVersion(
                    "DEPLOYMENT_" + to.name(),
                    row.application(),
                    row.version(),
                    "Deployment of '" + row.version() + "' of '" + row.application() + "' is " + to + ": " + reason,
                    Map.of("from", row.state().name())));
            events.publishEvent(new DeploymentChanged(row.application(), row.version(), row.state(), to, reason));
            // what follows the change (traffic for a placed first version) is recorded after it
            then.run();
        });
    }

    @Override
    public void destroy() {
        soon.shutdownNow();
    }
}
