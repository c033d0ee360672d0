package dev.weft.bench.loadgen;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in buckets of 50 microseconds up to 20 s (plus one overflow bucket), safe to record from
 * many threads; percentiles are exact to one bucket. Small enough to swap in at each measurement.
 */
final class LatencyHistogram {

    private static final long BUCKET_NANOS = 50_000;
    private static final int BUCKETS = 400_000;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);

    void record(long nanos) {
        long bucket = Math.max(0, nanos) / BUCKET_NANOS;
        counts.incrementAndGet((int) Math.min(bucket, BUCKETS));
    }

    long count() {
        long total = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The upper edge of the bucket holding the given quantile, in milliseconds; NaN when empty. */
    double percentileMillis(double quantile) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
