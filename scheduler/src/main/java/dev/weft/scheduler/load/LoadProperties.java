package dev.weft.scheduler.load;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of load ingestion ({@code weft.load.*}).
 *
 * @param bucket length of a raw time bucket (whole seconds)
 * @param flushInterval how often closed buckets are written to the database
 * @param openFlushInterval how often the buckets still filling are written too (their sums are merged by addition)
 * @param batchSize rows per COPY into the staging table
 * @param softPendingEntries entries held in memory above which reports are answered COALESCED
 * @param maxPendingEntries hard bound on entries held in memory (including those being written); above
 *        80 % of it agents are told to slow down, at it new entries are dropped and counted
 * @param slowFlush a write slower than this counts as the writer being behind (five times it: far behind)
 * @param retention how long raw buckets are kept before they are compacted
 * @param compactedBucket length of a compacted bucket (a multiple of {@code bucket})
 * @param compactedRetention how long compacted buckets are kept before they are deleted
 * @param retentionInterval how often the compaction and deletion job runs
 * @param scheduled whether the writer and the retention job run on their own (tests drive them by hand)
 */
@ConfigurationProperties("weft.load")
record LoadProperties(
        @DefaultValue("10s") Duration bucket,
        @DefaultValue("1s") Duration flushInterval,
        @DefaultValue("5s") Duration openFlushInterval,
        @DefaultValue("5000") int batchSize,
        @DefaultValue("20000") int softPendingEntries,
        @DefaultValue("100000") int maxPendingEntries,
        @DefaultValue("2s") Duration slowFlush,
        @DefaultValue("24h") Duration retention,
        @DefaultValue("5m") Duration compactedBucket,
        @DefaultValue("30d") Duration compactedRetention,
        @DefaultValue("1m") Duration retentionInterval,
        @DefaultValue("true") boolean scheduled) {

    LoadProperties {
        require(
                bucket.toSeconds() >= 1 && bucket.toNanos() % 1_000_000_000L == 0,
                "weft.load.bucket must be a whole number of seconds, at least 1s, was " + bucket);
        require(
                compactedBucket.toSeconds() >= bucket.toSeconds() && compactedBucket.toNanos() % bucket.toNanos() == 0,
                "weft.load.compacted-bucket must be a multiple of weft.load.bucket, was " + compactedBucket);
        require(
                positive(flushInterval)
                        && positive(openFlushInterval)
                        && positive(slowFlush)
                        && positive(retentionInterval),
                "weft.load intervals must be positive");
        require(batchSize >= 1, "weft.load.batch-size must be at least 1, was " + batchSize);
        require(
                softPendingEntries >= 1 && maxPendingEntries >= softPendingEntries,
                "weft.load needs 1 <= soft-pending-entries <= max-pending-entries, were " + softPendingEntries + " and "
                        + maxPendingEntries);
        require(
                retention.compareTo(bucket) >= 0 && compactedRetention.compareTo(retention) >= 0,
                "weft.load needs bucket <= retention <= compacted-retention");
    }

    long bucketSeconds() {
        return bucket.toSeconds();
    }

    long compactedBucketSeconds() {
        return compactedBucket.toSeconds();
    }

    /** Above this many entries agents are asked to slow down. */
    int slowDownEntries() {
        return Math.max(softPendingEntries, (int) (maxPendingEntries * 0.8));
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
