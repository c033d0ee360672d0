package dev.weft.scheduler.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of leader election and the bus between control-plane replicas ({@code weft.cluster.*}).
 *
 * @param nodeId this node's name in events, metrics and {@code pg_stat_activity}; unique among the nodes sharing a
 *     database. Default: the host name and the process id (with {@code -2}, {@code -3}, ... for a second and third
 *     control plane in one JVM)
 * @param retryInterval how often a follower tries to take the leader lock, and how long the bus waits before it
 *     reconnects a broken listening connection
 * @param checkInterval how often the leader checks that its lock connection still holds the lock and its epoch is
 *     still current (so a leader that lost the lock stops acting as one within this), and how often the bus checks
 *     that its idle listening connection is alive
 * @param checkTimeout a check (or any statement on the two dedicated connections) slower than this counts as failed:
 *     the connection is dropped and leadership given up
 * @param sessionTimeout how long PostgreSQL keeps the session of a node it no longer hears from (TCP keepalives and
 *     {@code tcp_user_timeout} set on the dedicated connections), so a leader cut off by the network frees the lock
 *     after about this long
 * @param fenceWait how long a node becoming leader waits for transactions of the previous leader that passed the
 *     fence (and so hold the epoch row) before it ends their sessions
 */
@ConfigurationProperties("weft.cluster")
record ClusterProperties(
        String nodeId,
        Duration retryInterval,
        Duration checkInterval,
        Duration checkTimeout,
        Duration sessionTimeout,
        Duration fenceWait) {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?");
    private static final AtomicInteger NODES_IN_THIS_JVM = new AtomicInteger();

    ClusterProperties {
        nodeId = nodeId == null || nodeId.isBlank() ? defaultNodeId() : nodeId;
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("weft.cluster.node-id must be 1-128 of [A-Za-z0-9._-], starting and "
                    + "ending with a letter or digit, was '" + nodeId + "'");
        }
        retryInterval = positive(retryInterval, Duration.ofSeconds(1), "retry-interval");
        checkInterval = positive(checkInterval, Duration.ofSeconds(1), "check-interval");
        checkTimeout = positive(checkTimeout, Duration.ofSeconds(2), "check-timeout");
        sessionTimeout = positive(sessionTimeout, Duration.ofSeconds(3), "session-timeout");
        fenceWait = positive(fenceWait, Duration.ofSeconds(1), "fence-wait");
        if (checkTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException(
                    "weft.cluster.check-timeout must be at least 1s (it is the JDBC socket timeout, in whole seconds), was "
                            + checkTimeout);
        }
        if (sessionTimeout.toMillis() < 2000) {
            throw new IllegalArgumentException(
                    "weft.cluster.session-timeout must be at least 2s (TCP keepalives count whole seconds), was "
                            + sessionTimeout);
        }
    }

    private static Duration positive(@Nullable Duration value, Duration otherwise, String key) {
        if (value == null) {
            return otherwise;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("weft.cluster." + key + " must be positive, was " + value);
        }
        return value;
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "weft";
        }
        String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-");
        cleaned = cleaned.substring(0, Math.min(100, cleaned.length())).replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
        if (cleaned.isEmpty()) {
            cleaned = "weft";
        }
        int n = NODES_IN_THIS_JVM.incrementAndGet();
        return cleaned + "-" + ProcessHandle.current().pid() + (n == 1 ? "" : "-" + n);
    }
}
