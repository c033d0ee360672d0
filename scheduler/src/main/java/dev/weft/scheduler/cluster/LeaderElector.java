package dev.weft.scheduler.cluster;

import static java.util.Objects.requireNonNull;

import dev.weft.scheduler.cluster.LeadershipEvent.LossReason;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Elects the leader: a node leads while its dedicated connection holds the PostgreSQL session-level advisory lock
 * ({@code pg_try_advisory_lock(LOCK_CLASS, LOCK_ID)}). A follower tries every {@code retry-interval}; PostgreSQL frees
 * the lock the moment the holder's session ends (process killed, connection closed or terminated), so the next try
 * succeeds. Winning the lock, a node takes the next epoch and records {@code LEADER_ELECTED} in one transaction.
 * While leading it checks every {@code check-interval} that its connection still holds the lock and the epoch is
 * still its own, and gives leadership up at the first doubt (the term ends, then the connection is closed).
 */
final class LeaderElector implements SmartLifecycle {

    /** The advisory lock's two keys: "Weft" in ASCII, and the leader lock. */
    static final int LOCK_CLASS = 0x57656674;

    static final int LOCK_ID = 1;

    private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

    private final ClusterProperties properties;
    private final DedicatedConnections connections;
    private final Leadership leadership;
    private final EpochStore store;
    private final Fence fence;
    private final TransactionTemplate transactions;
    private final AuditLog auditLog;
    private final ApplicationEventPublisher publisher;
    private final ClusterMetrics metrics;
    private final Clock clock;

    private final CountDownLatch stopping = new CountDownLatch(1);
    private final ExecutorService events;
    private final ScheduledExecutorService watchdog;
    private volatile boolean running;
    private @Nullable Thread thread;

    LeaderElector(
            ClusterProperties properties,
            DedicatedConnections connections,
            Leadership leadership,
            EpochStore store,
            Fence fence,
            TransactionTemplate transactions,
            AuditLog auditLog,
            ApplicationEventPublisher publisher,
            ClusterMetrics metrics,
            Clock clock) {
        this.properties = properties;
        this.connections = connections;
        this.leadership = leadership;
        this.store = store;
        this.fence = fence;
        this.transactions = transactions;
        this.auditLog = auditLog;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.events = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("weft-leadership-events").factory());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("weft-fence-watchdog").factory());
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("weft-leader-elector").start(this::elect);
    }

    /**
     * Gives leadership up (the lock is released as the connection closes, so a follower takes over at its next
     * try), and waits for the {@link LeadershipEvent.Lost} listeners.
     */
    @Override
    public void stop() {
        Thread running;
        synchronized (this) {
            this.running = false;
            running = thread;
            thread = null;
        }
        stopping.countDown();
        if (running != null) {
            try {
                running.join(properties.checkTimeout().plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        watchdog.shutdownNow();
        events.shutdown();
        try {
            if (!events.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Leadership event listeners of node {} did not finish within 5s", properties.nodeId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The last to start and the first to stop: a node leads only while everything else of it runs. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private void elect() {
        Connection connection = null;
        Term term = null;
        while (running) {
            try {
                if (connection == null) {
                    connection = connections.open("leader");
                }
                if (term == null) {
                    if (tryLock(connection)) {
                        term = promote();
                    } else {
                        pause(properties.retryInterval());
                    }
                } else {
                    pause(properties.checkInterval());
                    if (!running) {
                        break;
                    }
                    Doubt doubt = doubt(connection, term);
                    if (doubt != null) {
                        lose(term, doubt.reason(), doubt.detail());
                        term = null;
                        close(connection);
                        connection = null;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (term != null) {
                    lose(term, LossReason.CONNECTION_LOST, "the leader lock's connection failed: " + e);
                    term = null;
                } else if (running) {
                    log.debug("Leader election of node {} failed, retrying: {}", properties.nodeId(), e.toString());
                }
                close(connection);
                connection = null;
                if (running) {
                    pause(properties.retryInterval());
                }
            }
        }
        if (term != null) {
            lose(term, LossReason.SHUTDOWN, "node '" + properties.nodeId() + "' is shutting down");
        }
        close(connection);
    }

    private boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
            statement.setQueryTimeout(timeoutSeconds());
            statement.setInt(1, LOCK_CLASS);
            statement.setInt(2, LOCK_ID);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Why a leader stops leading although its connection answers. */
    private record Doubt(LossReason reason, String detail) {}

    /** Null while the connection holds the lock and the epoch is the term's; else what is wrong. */
    private @Nullable Doubt doubt(Connection connection, Term term) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                select exists(select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()
                              and classid::bigint = ? and objid::bigint = ? and objsubid = 2 and granted),
                       (select epoch from cluster_leadership where id = 1),
                       (select leader_node from cluster_leadership where id = 1)""")) {
            statement.setQueryTimeout(timeoutSeconds());
            statement.setLong(1, LOCK_CLASS);
            statement.setLong(2, LOCK_ID);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return new Doubt(LossReason.LOCK_NOT_HELD, "the lock connection no longer holds the leader lock");
                }
                long epoch = rs.getLong(2);
                if (epoch != term.epoch()) {
                    return new Doubt(
                            LossReason.EPOCH_SUPERSEDED,
                            "node '" + rs.getString(3) + "' was elected with epoch " + epoch + ", superseding epoch "
                                    + term.epoch());
                }
                return null;
            }
        }
    }

    /** Takes the next epoch; this node holds the lock, so no other node can be doing the same. */
    private Term promote() {
        Instant now = clock.instant();
        Term term = requireNonNull(transactions.execute(tx -> {
            int pid = store.backendPid();
            // a paused previous leader may sit in a transaction that passed the fence and so holds the row: wait for
            // it a moment, then end its session (its transaction rolls back, which is what fencing promises)
            ScheduledFuture<?> endBlockers = watchdog.scheduleWithFixedDelay(
                    () -> endBlockers(pid),
                    properties.fenceWait().toMillis(),
                    properties.fenceWait().toMillis(),
                    TimeUnit.MILLISECONDS);
            EpochStore.Advanced advanced;
            try {
                advanced = store.advance(properties.nodeId(), now);
            } finally {
                endBlockers.cancel(false);
            }
            Map<String, Object> details = new HashMap<>();
            details.put("node", properties.nodeId());
            details.put("epoch", advanced.epoch());
            if (advanced.previousNode() != null) {
                details.put("previousNode", advanced.previousNode());
            }
            auditLog.record(new AuditEvent(
                    "LEADER_ELECTED",
                    null,
                    null,
                    null,
                    "Control-plane node '" + properties.nodeId() + "' became the leader with epoch "
                            + advanced.epoch()
                            + (advanced.previousNode() == null
                                    ? ""
                                    : " (after node '" + advanced.previousNode() + "')"),
                    details));
            return new Term(properties.nodeId(), advanced.epoch(), now, fence);
        }));
        leadership.begin(term);
        metrics.acquired();
        log.info("Node {} is the leader, epoch {}", term.nodeId(), term.epoch());
        LeadershipEvent.Acquired acquired = new LeadershipEvent.Acquired(term);
        dispatch(() -> publish(acquired));
        return term;
    }

    private void endBlockers(int pid) {
        try {
            int ended = store.terminateBlockersOf(pid);
            if (ended > 0) {
                log.warn(
                        "Node {} ended {} session(s) of a previous leader whose fenced transaction held the epoch row "
                                + "for more than {}; their changes roll back",
                        properties.nodeId(),
                        ended,
                        properties.fenceWait());
            }
        } catch (RuntimeException e) {
            log.warn("Node {} could not end the sessions blocking its election: {}", properties.nodeId(), e.toString());
        }
    }

    private void lose(Term term, LossReason reason, String detail) {
        leadership.end(term, reason.name() + ": " + detail);
        metrics.lost(reason);
        if (reason == LossReason.SHUTDOWN) {
            log.info("Node {} gives up leadership (epoch {}): {}", term.nodeId(), term.epoch(), detail);
        } else {
            log.warn("Node {} is no longer the leader (epoch {}): {}", term.nodeId(), term.epoch(), detail);
        }
        LeadershipEvent.Lost lost = new LeadershipEvent.Lost(term.nodeId(), term.epoch(), reason, detail);
        dispatch(() -> {
            publish(lost);
            recordLoss(lost);
        });
    }

    /** Best effort: the database may be what failed. */
    private void recordLoss(LeadershipEvent.Lost lost) {
        try {
            transactions.executeWithoutResult(tx -> auditLog.record(new AuditEvent(
                    "LEADER_LOST",
                    null,
                    null,
                    null,
                    "Control-plane node '" + lost.nodeId() + "' stopped leading (epoch " + lost.epoch() + "): "
                            + lost.detail(),
                    Map.of(
                            "node",
                            lost.nodeId(),
                            "epoch",
                            lost.epoch(),
                            "reason",
                            lost.reason().name()))));
        } catch (RuntimeException e) {
            log.debug("Could not record that node {} stopped leading: {}", lost.nodeId(), e.toString());
        }
    }

    private void dispatch(Runnable task) {
        try {
            events.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            task.run(); // stop() gave up waiting for this thread; deliver here rather than not at all
        }
    }

    private void publish(LeadershipEvent event) {
        try {
            publisher.publishEvent(event);
        } catch (RuntimeException e) {
            log.error("A listener of {} failed", event, e);
        }
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, properties.checkTimeout().toSeconds());
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void close(@Nullable Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // the session is gone either way, and the lock with it
            }
        }
    }
}
