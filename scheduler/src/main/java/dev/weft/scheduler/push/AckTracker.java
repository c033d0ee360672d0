package dev.weft.scheduler.push;

import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.scheduler.agents.AgentStreamEvent;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.push.PushStore.Ack;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Agents' acknowledgements: the latest of each agent is kept in memory and written in batches; assignments an
 * agent failed to start are counted per version and agent, retried on the same agent (its set is sent again with
 * a new generation) until {@code weft.push.max-start-failures}, then the version is placed elsewhere.
 */
@Component
class AckTracker implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AckTracker.class);

    private final PushStore store;
    private final PushService push;
    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final PushProperties properties;
    private final Clock clock;
    private final ConcurrentMap<String, Ack> unwritten = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Ack> latest = new ConcurrentHashMap<>();
    private final ExecutorService failures = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("weft-push-failures").daemon().factory());

    AckTracker(
            PushStore store,
            PushService push,
            AuditLog auditLog,
            TransactionTemplate transactions,
            ApplicationEventPublisher events,
            PushProperties properties,
            Clock clock) {
        this.store = store;
        this.push = push;
        this.auditLog = auditLog;
        this.transactions = transactions;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener
    void acknowledged(AgentStreamEvent.Acknowledged ack) {
        Ack taken = new Ack(
                ack.agentId(),
                ack.generation(),
                ack.applied(),
                ack.message(),
                ack.failedAssignmentIds(),
                clock.instant());
        unwritten.merge(ack.agentId(), taken, AckTracker::newer);
        latest.merge(ack.agentId(), taken, AckTracker::newer);
        if (!ack.failedAssignmentIds().isEmpty()) {
            failures.execute(() -> failed(taken));
        }
    }

    private static Ack newer(Ack a, Ack b) {
        return b.generation() >= a.generation() ? b : a;
    }

    /** The latest ack this node took from the agent, if it took one. */
    Optional<Ack> latest(String agentId) {
        return Optional.ofNullable(latest.get(agentId));
    }

    @Scheduled(fixedDelayString = "${weft.push.ack-flush-interval:200ms}")
    void flush() {
        if (unwritten.isEmpty()) {
            return;
        }
        List<Ack> batch = new ArrayList<>();
        for (String agent : new TreeSet<>(unwritten.keySet())) {
            Ack ack = unwritten.remove(agent);
            if (ack != null) {
                batch.add(ack);
            }
        }
        try {
            transactions.executeWithoutResult(tx -> store.writeAcks(batch));
        } catch (RuntimeException e) {
            log.warn("Could not record {} assignment ack(s); retrying: {}", batch.size(), e.toString());
            batch.forEach(ack -> unwritten.merge(ack.agentId(), ack, AckTracker::newer));
        }
    }

    private void failed(Ack ack) {
        try {
            transactions.executeWithoutResult(tx -> countFailures(ack));
        } catch (RuntimeException e) {
            log.warn("Could not record the start failures of agent {}: {}", ack.agentId(), e.toString());
        }
    }

    private void countFailures(Ack ack) {
        Optional<PushStore.SetRow> row = store.set(ack.agentId());
        if (row.isEmpty()) {
            return;
        }
        AssignmentSet set = row.get().set();
        // one count per version per ack, however many of its replicas failed
        Map<String, Assignment> byVersion = new LinkedHashMap<>();
        for (String id : ack.failed()) {
            set.getAssignmentsList().stream()
                    .filter(a -> a.getAssignmentId().equals(id))
                    .findFirst()
                    .ifPresent(a -> byVersion.putIfAbsent(a.getApplication() + "\u0000" + a.getVersion(), a));
        }
        boolean retry = false;
        Instant now = clock.instant();
        for (Assignment a : byVersion.values()) {
            Optional<Long> versionId = store.versionId(a.getApplication(), a.getVersion());
            if (versionId.isEmpty()) {
                continue;
            }
            int count = store.countFailure(versionId.get(), ack.agentId(), a.getAssignmentId(), ack.message(), now);
            String what = "replica " + a.getAssignmentId() + " (" + String.join(", ", a.getComponentsList()) + ")";
            auditLog.record(new AuditEvent(
                    "REPLICA_START_FAILED",
                    a.getApplication(),
                    a.getVersion(),
                    ack.agentId(),
                    "Agent '" + ack.agentId() + "' could not start " + what + " of " + a.getApplication() + " "
                            + a.getVersion() + ": " + (ack.message().isBlank() ? "no reason given" : ack.message())
                            + " (failure " + count + " of " + properties.maxStartFailures() + ")",
                    Map.of("assignmentId", a.getAssignmentId(), "failures", count)));
            if (count >= properties.maxStartFailures()) {
                store.exclude(versionId.get(), ack.agentId());
                auditLog.record(new AuditEvent(
                        "REPLICAS_MOVED_AFTER_START_FAILURES",
                        a.getApplication(),
                        a.getVersion(),
                        ack.agentId(),
                        "Agent '" + ack.agentId() + "' failed to start replicas of " + a.getApplication() + " "
                                + a.getVersion() + " " + count + " times: they are placed on other agents",
                        Map.of("failures", count)));
                events.publishEvent(new StartFailuresExceeded(
                        versionId.get(), a.getApplication(), a.getVersion(), ack.agentId(), count));
            } else {
                retry = true;
            }
        }
        if (retry) {
            push.resend(ack.agentId());
        }
    }

    @Override
    public void destroy() {
        failures.shutdownNow();
    }
}
