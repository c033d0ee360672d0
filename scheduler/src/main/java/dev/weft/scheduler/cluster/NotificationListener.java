package dev.weft.scheduler.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The bus's dedicated listening connection: {@code LISTEN weft_cluster}, then a thread that blocks in
 * {@link PGConnection#getNotifications(int)} (which returns as soon as a notification arrives) and hands each to the
 * bus. Every {@code check-interval} of quiet it checks that the connection is alive; when it broke, it opens a new
 * one after {@code retry-interval} and tells every subscription to resynchronise.
 */
final class NotificationListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

    private final ClusterBus bus;
    private final DedicatedConnections connections;
    private final ClusterProperties properties;
    private final ClusterMetrics metrics;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean listening;
    private volatile @Nullable Connection connection;
    private @Nullable Thread thread;

    NotificationListener(
            ClusterBus bus, DedicatedConnections connections, ClusterProperties properties, ClusterMetrics metrics) {
        this.bus = bus;
        this.connections = connections;
        this.properties = properties;
        this.metrics = metrics;
        bus.listeningFrom(() -> listening);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("weft-bus-listener").start(this::listen);
    }

    @Override
    public void stop() {
        Thread listener;
        synchronized (this) {
            running = false;
            listener = thread;
            thread = null;
        }
        stopping.countDown();
        Connection open = connection;
        if (open != null) {
            try {
                open.abort(Runnable::run); // wakes the thread blocked reading notifications
            } catch (SQLException | RuntimeException ignored) {
                // it wakes at its next check anyway
            }
        }
        if (listener != null) {
            try {
                listener.join(properties.checkInterval().plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Listens before the servers start taking requests, and until they stopped. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void listen() {
        boolean listenedBefore = false;
        while (running) {
            Connection open = null;
            try {
                open = connections.open("bus");
                connection = open;
                try (Statement statement = open.createStatement()) {
                    statement.execute("listen " + ClusterBus.CHANNEL);
                }
                listening = true;
                if (listenedBefore) {
                    metrics.reconnected();
                    log.info(
                            "Node {} listens to the cluster bus again; subscribers resynchronise", properties.nodeId());
                }
                listenedBefore = true;
                bus.resyncAll();
                receive(open);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn(
                            "Node {} lost the cluster bus ({}); listening again in {}",
                            properties.nodeId(),
                            e.toString(),
                            properties.retryInterval());
                }
            } finally {
                listening = false;
                connection = null;
                close(open);
            }
            if (running) {
                try {
                    stopping.await(properties.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    private void receive(Connection open) throws SQLException {
        PGConnection pg = open.unwrap(PGConnection.class);
        int poll = (int) Math.max(
                1, Math.min(Integer.MAX_VALUE, properties.checkInterval().toMillis()));
        int timeout = (int) Math.max(1, properties.checkTimeout().toSeconds());
        long lastHeard = System.nanoTime();
        while (running) {
            PGNotification[] notifications = pg.getNotifications(poll);
            if (notifications != null && notifications.length > 0) {
                lastHeard = System.nanoTime();
                for (PGNotification notification : notifications) {
                    if (ClusterBus.CHANNEL.equals(notification.getName())) {
                        bus.deliver(notification.getParameter());
                    }
                }
            } else if (System.nanoTime() - lastHeard
                    >= properties.checkInterval().toNanos()) {
                if (!open.isValid(timeout)) {
                    throw new SQLException("the listening connection did not answer within " + timeout + "s");
                }
                lastHeard = System.nanoTime();
            }
        }
    }

    private static void close(@Nullable Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // gone either way
            }
        }
    }
}
