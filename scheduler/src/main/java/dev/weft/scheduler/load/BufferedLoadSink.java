package dev.weft.scheduler.load;

import dev.weft.scheduler.load.Buckets.ComponentAcc;
import dev.weft.scheduler.load.Buckets.ComponentKey;
import dev.weft.scheduler.load.Buckets.ComponentRow;
import dev.weft.scheduler.load.Buckets.EdgeAcc;
import dev.weft.scheduler.load.Buckets.EdgeKey;
import dev.weft.scheduler.load.Buckets.EdgeRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Aggregates reports in memory into buckets of the control plane's clock, per (version, component)
 * and per (version, caller, callee), until the {@link LoadWriter} takes them. {@code offer} never blocks
 * on the database: it only touches a concurrent map and one small per-bucket lock, and the number of
 * entries (in the map or being written) never exceeds {@code weft.load.max-pending-entries}.
 */
@Component
final class BufferedLoadSink implements LoadSink {

    private final ConcurrentHashMap<ComponentKey, ComponentAcc> components = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EdgeKey, EdgeAcc> edges = new ConcurrentHashMap<>();
    /** Entries in the maps plus entries taken by the writer and not yet written. */
    private final AtomicInteger entries = new AtomicInteger();

    private final Clock clock;
    private final LoadProperties properties;
    private final WriterHealth health;
    private final Counter accepted;
    private final Counter coalesced;
    private final Counter slowDowns;
    private final Counter droppedReports;
    private final Counter droppedSamples;

    BufferedLoadSink(Clock clock, LoadProperties properties, WriterHealth health, MeterRegistry meters) {
        this.clock = clock;
        this.properties = properties;
        this.health = health;
        this.accepted = Counter.builder("weft.load.reports.accepted")
                .description("Load reports aggregated (whatever the admission)")
                .register(meters);
        this.coalesced = Counter.builder("weft.load.reports.coalesced")
                .description("Reports answered COALESCED because the writer is behind")
                .register(meters);
        this.slowDowns = Counter.builder("weft.load.slowdowns")
                .description("Reports answered SLOW_DOWN: the agent was told to report less often")
                .register(meters);
        this.droppedReports = Counter.builder("weft.load.reports.dropped")
                .description("Reports of which at least one sample was dropped (memory bound or an invalid figure)")
                .register(meters);
        this.droppedSamples = Counter.builder("weft.load.samples.dropped")
                .description(
                        "Component or edge samples dropped: memory bound, invalid figure, or rows the database refused")
                .register(meters);
        Gauge.builder("weft.load.pending.entries", entries, AtomicInteger::get)
                .description("Bucket entries held in memory, including those being written")
                .register(meters);
    }

    @Override
    public Receipt offer(LoadReport report) {
        long bucket = bucketStart(clock.instant().getEpochSecond());
        double seconds = report.intervalSeconds();
        int dropped = 0;
        for (LoadReport.ComponentSample sample : report.components()) {
            if (!valid(sample)
                    || !add(new ComponentKey(sample.versionId(), sample.componentId(), bucket), sample, seconds)) {
                dropped++;
            }
        }
        for (LoadReport.EdgeSample sample : report.edges()) {
            if (!valid(sample)
                    || !add(
                            new EdgeKey(sample.versionId(), sample.callerId(), sample.calleeId(), bucket),
                            sample,
                            seconds)) {
                dropped++;
            }
        }
        accepted.increment();
        if (dropped > 0) {
            droppedReports.increment();
            droppedSamples.increment(dropped);
        }
        Admission admission = admission(dropped > 0);
        switch (admission) {
            case ACCEPTED -> {}
            case COALESCED -> coalesced.increment();
            case SLOW_DOWN -> slowDowns.increment();
        }
        return new Receipt(admission, dropped);
    }

    // The callers validate figures; this guard only keeps one bad figure from poisoning a bucket's sums
    // (PostgreSQL would store NaN: it sorts NaN above every number, so the >= 0 checks pass).
    private static boolean valid(LoadReport.ComponentSample s) {
        return figure(s.cpuCores())
                && figure(s.memoryMiB())
                && figure(s.requestsPerSecond())
                && figure(s.errorsPerSecond())
                && figure(s.inFlight());
    }

    private static boolean valid(LoadReport.EdgeSample s) {
        return figure(s.callsPerSecond())
                && figure(s.bytesPerSecond())
                && figure(s.latencyP50Ms())
                && figure(s.latencyP99Ms())
                && figure(s.errorsPerSecond());
    }

    private static boolean figure(double value) {
        return value >= 0 && value < Double.POSITIVE_INFINITY;
    }

    private Admission admission(boolean dropped) {
        int pending = entries.get();
        long stalledNanos = health.stalledNanos();
        long slow = properties.slowFlush().toNanos();
        if (dropped || pending >= properties.slowDownEntries() || stalledNanos >= 5 * slow) {
            return Admission.SLOW_DOWN;
        }
        if (pending >= properties.softPendingEntries() || stalledNanos >= slow) {
            return Admission.COALESCED;
        }
        return Admission.ACCEPTED;
    }

    private boolean add(ComponentKey key, LoadReport.ComponentSample sample, double seconds) {
        while (true) {
            ComponentAcc acc = components.get(key);
            if (acc == null) {
                acc = components.computeIfAbsent(key, k -> reserve() ? new ComponentAcc() : null);
                if (acc == null) {
                    return false;
                }
            }
            if (acc.add(sample, seconds)) {
                return true;
            }
        }
    }

    private boolean add(EdgeKey key, LoadReport.EdgeSample sample, double seconds) {
        while (true) {
            EdgeAcc acc = edges.get(key);
            if (acc == null) {
                acc = edges.computeIfAbsent(key, k -> reserve() ? new EdgeAcc() : null);
                if (acc == null) {
                    return false;
                }
            }
            if (acc.add(sample, seconds)) {
                return true;
            }
        }
    }

    /** Counts one more entry unless that would pass the hard bound. */
    private boolean reserve() {
        int n;
        do {
            n = entries.get();
            if (n >= properties.maxPendingEntries()) {
                return false;
            }
        } while (!entries.compareAndSet(n, n + 1));
        return true;
    }

    long bucketStart(long epochSecond) {
        long size = properties.bucketSeconds();
        return Math.floorDiv(epochSecond, size) * size;
    }

    /**
     * Takes the closed buckets (and the open ones too when asked) out of memory; they stay counted until
     * released. A key may be met twice in one pass (the map's iteration is weakly consistent and an agent
     * may re-create a bucket just taken), so rows of one key are merged: the merge statement must not
     * see a key twice.
     */
    Drained drain(boolean includeOpen) {
        long current = bucketStart(clock.instant().getEpochSecond());
        Map<ComponentKey, ComponentRow> componentRows = new LinkedHashMap<>();
        for (ComponentKey key : components.keySet()) {
            if (includeOpen || key.bucketStart() < current) {
                ComponentAcc acc = components.remove(key);
                if (acc != null) {
                    ComponentRow row = acc.retire(key);
                    if (!sameRow(componentRows.merge(key, row, ComponentRow::plus), row)) {
                        entries.decrementAndGet(); // two entries became one row
                    }
                }
            }
        }
        Map<EdgeKey, EdgeRow> edgeRows = new LinkedHashMap<>();
        for (EdgeKey key : edges.keySet()) {
            if (includeOpen || key.bucketStart() < current) {
                EdgeAcc acc = edges.remove(key);
                if (acc != null) {
                    EdgeRow row = acc.retire(key);
                    if (!sameRow(edgeRows.merge(key, row, EdgeRow::plus), row)) {
                        entries.decrementAndGet();
                    }
                }
            }
        }
        return new Drained(List.copyOf(componentRows.values()), List.copyOf(edgeRows.values()));
    }

    /** Whether {@code merged} is {@code row} itself: the key had no row yet, so nothing was merged into it. */
    @SuppressWarnings("ReferenceEquality") // identity is the point: Map.merge returns the given value when it added it
    private static boolean sameRow(@Nullable Object merged, Object row) {
        return merged == row;
    }

    /** The writer stored these entries: they no longer take memory. */
    void release(Drained written) {
        entries.addAndGet(-written.size());
    }

    /** The writer gave up on these entries for good. */
    void discard(Drained lost) {
        droppedSamples.increment((double) lost.samples());
        release(lost);
    }

    /** The write failed: put the entries back so the next flush tries again (they never left the count). */
    void restore(Drained failed) {
        for (ComponentRow row : failed.components()) {
            while (true) {
                ComponentAcc acc = components.get(row.key());
                if (acc == null) {
                    ComponentAcc fresh = new ComponentAcc();
                    fresh.merge(row);
                    if (components.putIfAbsent(row.key(), fresh) == null) {
                        break;
                    }
                } else if (acc.merge(row)) {
                    entries.decrementAndGet();
                    break;
                }
            }
        }
        for (EdgeRow row : failed.edges()) {
            while (true) {
                EdgeAcc acc = edges.get(row.key());
                if (acc == null) {
                    EdgeAcc fresh = new EdgeAcc();
                    fresh.merge(row);
                    if (edges.putIfAbsent(row.key(), fresh) == null) {
                        break;
                    }
                } else if (acc.merge(row)) {
                    entries.decrementAndGet();
                    break;
                }
            }
        }
    }

    int pendingEntries() {
        return entries.get();
    }

    /** Entries taken out of memory for one write. */
    record Drained(List<ComponentRow> components, List<EdgeRow> edges) {

        Drained {
            components = List.copyOf(components);
            edges = List.copyOf(edges);
        }

        int size() {
            return components.size() + edges.size();
        }

        long samples() {
            return components.stream().mapToLong(ComponentRow::samples).sum()
                    + edges.stream().mapToLong(EdgeRow::samples).sum();
        }
    }
}
