package dev.weft.scheduler.agents;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the agent registry ({@code weft.agents.*}).
 *
 * @param bootstrapTokens tokens a new agent may present in its hello; an entry {@code sha256:<hex>}
 *                        is already a hash, so the plain token need not appear in the configuration
 * @param lease how long an agent stays alive without any message from it
 * @param sweepInterval how often leases are checked and heartbeats written to the database
 * @param reportInterval how often agents are asked to send load reports
 * @param maxReportInterval the longest interval slow-down requests stretch reports to
 * @param messagesPerSecond sustained messages per second one agent stream may send
 * @param burst messages one agent stream may send at once before the rate applies
 * @param versionCacheSize versions whose ids are kept in memory to validate reports
 * @param versionCacheTtl how long a cached version is trusted (versions are immutable but deletable); it is
 *                        reloaded in the background after that, while reports go on using the entry
 * @param unknownVersionTtl how long "no such version" is remembered, so a flood of reports naming an unknown
 *                          version costs one query per this interval, not one per report
 * @param maxConcurrentDatabaseCalls agent-stream threads that may use the database at once; 0 means the
 *                                   connection pool's size less four (kept for the sweeper, writer and REST)
 * @param maxMessageSize largest agent message accepted; a larger one ends the stream with RESOURCE_EXHAUSTED.
 *                       Keep {@code spring.grpc.server.inbound.message.max-size} above it (twice is the
 *                       default): gRPC's own limit, hit on a stream's second or later message, only resets
 *                       the stream (CANCELLED, grpc-java issue 11245) instead of saying why
 */
@ConfigurationProperties("weft.agents")
record AgentsProperties(
        List<String> bootstrapTokens,
        Duration lease,
        Duration sweepInterval,
        Duration reportInterval,
        Duration maxReportInterval,
        double messagesPerSecond,
        int burst,
        int versionCacheSize,
        Duration versionCacheTtl,
        Duration unknownVersionTtl,
        int maxConcurrentDatabaseCalls,
        DataSize maxMessageSize) {

    AgentsProperties {
        bootstrapTokens = bootstrapTokens == null ? List.of() : List.copyOf(bootstrapTokens);
        lease = positive(lease, Duration.ofSeconds(15), "lease");
        sweepInterval = positive(sweepInterval, Duration.ofSeconds(1), "sweep-interval");
        reportInterval = positive(reportInterval, Duration.ofSeconds(10), "report-interval");
        maxReportInterval = positive(maxReportInterval, Duration.ofSeconds(60), "max-report-interval");
        if (maxReportInterval.compareTo(reportInterval) < 0) {
            throw new IllegalArgumentException("weft.agents.max-report-interval (" + maxReportInterval
                    + ") must not be shorter than weft.agents.report-interval (" + reportInterval + ")");
        }
        if (messagesPerSecond == 0) {
            messagesPerSecond = 50;
        }
        if (!(messagesPerSecond > 0) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException(
                    "weft.agents.messages-per-second must be a positive number, was " + messagesPerSecond);
        }
        if (burst == 0) {
            burst = 200;
        }
        if (burst < 1) {
            throw new IllegalArgumentException("weft.agents.burst must be at least 1, was " + burst);
        }
        if (versionCacheSize == 0) {
            versionCacheSize = 1024;
        }
        if (versionCacheSize < 1) {
            throw new IllegalArgumentException(
                    "weft.agents.version-cache-size must be at least 1, was " + versionCacheSize);
        }
        versionCacheTtl = positive(versionCacheTtl, Duration.ofMinutes(1), "version-cache-ttl");
        unknownVersionTtl = positive(unknownVersionTtl, Duration.ofSeconds(1), "unknown-version-ttl");
        if (maxConcurrentDatabaseCalls < 0) {
            throw new IllegalArgumentException(
                    "weft.agents.max-concurrent-database-calls must be 0 (derived from the pool) or more, was "
                            + maxConcurrentDatabaseCalls);
        }
        if (maxMessageSize == null) {
            maxMessageSize = DataSize.ofMegabytes(4);
        }
        if (maxMessageSize.toBytes() < 1024 || maxMessageSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "weft.agents.max-message-size must be between 1KB and 2GB, was " + maxMessageSize);
        }
    }

    int maxMessageBytes() {
        return (int) maxMessageSize.toBytes();
    }

    private static Duration positive(Duration value, Duration otherwise, String key) {
        if (value == null) {
            return otherwise;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("weft.agents." + key + " must be positive, was " + value);
        }
        return value;
    }

    /** Heartbeats are asked for three times per lease, so one lost heartbeat never costs the lease. */
    Duration heartbeatInterval() {
        return lease.dividedBy(3);
    }
}
