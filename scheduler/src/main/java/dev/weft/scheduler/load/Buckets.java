package dev.weft.scheduler.load;

import dev.weft.scheduler.load.LoadReport.ComponentSample;
import dev.weft.scheduler.load.LoadReport.EdgeSample;

/**
 * The in-memory form of one time bucket: keys, mutable accumulators, and the immutable rows that
 * are written. Quantities are integrated (rate times interval) so that buckets merge by addition; so are
 * memory and in-flight (their time integrals give totals over replicas), whose maxima are kept too; p99 merges
 * by maximum; p50 is kept weighted by calls; the span the reports cover merges by earliest start, latest end.
 */
final class Buckets {

    private Buckets() {}

    record ComponentKey(long versionId, long componentId, long bucketStart) {}

    record EdgeKey(long versionId, long callerId, long calleeId, long bucketStart) {}

    /** One (version, component, bucket) ready to be written; {@code bucketStart} in epoch seconds. */
    record ComponentRow(
            ComponentKey key,
            int samples,
            double cpuCoreSeconds,
            double memoryMiBMax,
            double requests,
            double errors,
            double inFlightMax,
            double replicaSeconds,
            double memoryMiBSeconds,
            double inFlightSeconds,
            long reportedFromMicros,
            long reportedToMicros) {

        ComponentRow plus(ComponentRow o) {
            return new ComponentRow(
                    key,
                    samples + o.samples,
                    cpuCoreSeconds + o.cpuCoreSeconds,
                    Math.max(memoryMiBMax, o.memoryMiBMax),
                    requests + o.requests,
                    errors + o.errors,
                    Math.max(inFlightMax, o.inFlightMax),
                    replicaSeconds + o.replicaSeconds,
                    memoryMiBSeconds + o.memoryMiBSeconds,
                    inFlightSeconds + o.inFlightSeconds,
                    Math.min(reportedFromMicros, o.reportedFromMicros),
                    Math.max(reportedToMicros, o.reportedToMicros));
        }
    }

    /** One (version, caller, callee, bucket) ready to be written; {@code bucketStart} in epoch seconds. */
    record EdgeRow(
            EdgeKey key,
            int samples,
            double calls,
            double bytes,
            double errors,
            double latencyP50MsWeighted,
            double latencyP99MsMax,
            double replicaSeconds,
            long reportedFromMicros,
            long reportedToMicros) {

        EdgeRow plus(EdgeRow o) {
            return new EdgeRow(
                    key,
                    samples + o.samples,
                    calls + o.calls,
                    bytes + o.bytes,
                    errors + o.errors,
                    latencyP50MsWeighted + o.latencyP50MsWeighted,
                    Math.max(latencyP99MsMax, o.latencyP99MsMax),
                    replicaSeconds + o.replicaSeconds,
                    Math.min(reportedFromMicros, o.reportedFromMicros),
                    Math.max(reportedToMicros, o.reportedToMicros));
        }
    }

    /**
     * Sums of one component bucket. Once the writer has taken it out of the map it is retired: late
     * adders see {@code false} and start a fresh accumulator, so no sample is lost or counted twice.
     */
    static final class ComponentAcc {
        private int samples;
        private double cpuCoreSeconds;
        private double memoryMiBMax;
        private double requests;
        private double errors;
        private double inFlightMax;
        private double replicaSeconds;
        private double memoryMiBSeconds;
        private double inFlightSeconds;
        private long reportedFromMicros = Long.MAX_VALUE;
        private long reportedToMicros = Long.MIN_VALUE;
        private boolean retired;

        /** Adds one sample covering {@code seconds} that ended at {@code endMicros} (control-plane clock). */
        synchronized boolean add(ComponentSample s, double seconds, long endMicros) {
            if (retired) {
                return false;
            }
            samples++;
            cpuCoreSeconds += s.cpuCores() * seconds;
            memoryMiBMax = Math.max(memoryMiBMax, s.memoryMiB());
            requests += s.requestsPerSecond() * seconds;
            errors += s.errorsPerSecond() * seconds;
            inFlightMax = Math.max(inFlightMax, s.inFlight());
            replicaSeconds += seconds;
            memoryMiBSeconds += s.memoryMiB() * seconds;
            inFlightSeconds += s.inFlight() * seconds;
            reportedFromMicros = Math.min(reportedFromMicros, endMicros - (long) Math.ceil(seconds * 1e6));
            reportedToMicros = Math.max(reportedToMicros, endMicros);
            return true;
        }

        synchronized boolean merge(ComponentRow r) {
            if (retired) {
                return false;
            }
            samples += r.samples();
            cpuCoreSeconds += r.cpuCoreSeconds();
            memoryMiBMax = Math.max(memoryMiBMax, r.memoryMiBMax());
            requests += r.requests();
            errors += r.errors();
            inFlightMax = Math.max(inFlightMax, r.inFlightMax());
            replicaSeconds += r.replicaSeconds();
            memoryMiBSeconds += r.memoryMiBSeconds();
            inFlightSeconds += r.inFlightSeconds();
            reportedFromMicros = Math.min(reportedFromMicros, r.reportedFromMicros());
            reportedToMicros = Math.max(reportedToMicros, r.reportedToMicros());
            return true;
        }

        synchronized ComponentRow retire(ComponentKey key) {
            retired = true;
            return new ComponentRow(
                    key,
                    samples,
                    cpuCoreSeconds,
                    memoryMiBMax,
                    requests,
                    errors,
                    inFlightMax,
                    replicaSeconds,
                    memoryMiBSeconds,
                    inFlightSeconds,
                    reportedFromMicros,
                    reportedToMicros);
        }
    }

    /** Sums of one edge bucket; see {@link ComponentAcc} for retirement. */
    static final class EdgeAcc {
        private int samples;
        private double calls;
        private double bytes;
        private double errors;
        private double latencyP50MsWeighted;
        private double latencyP99MsMax;
        private double replicaSeconds;
        private long reportedFromMicros = Long.MAX_VALUE;
        private long reportedToMicros = Long.MIN_VALUE;
        private boolean retired;

        synchronized boolean add(EdgeSample s, double seconds, long endMicros) {
            if (retired) {
                return false;
            }
            replicaSeconds += seconds;
            reportedFromMicros = Math.min(reportedFromMicros, endMicros - (long) Math.ceil(seconds * 1e6));
            reportedToMicros = Math.max(reportedToMicros, endMicros);
            double sampleCalls = s.callsPerSecond() * seconds;
            samples++;
            calls += sampleCalls;
            bytes += s.bytesPerSecond() * seconds;
            errors += s.errorsPerSecond() * seconds;
            latencyP50MsWeighted += s.latencyP50Ms() * sampleCalls;
            latencyP99MsMax = Math.max(latencyP99MsMax, s.latencyP99Ms());
            return true;
        }

        synchronized boolean merge(EdgeRow r) {
            if (retired) {
                return false;
            }
            samples += r.samples();
            calls += r.calls();
            bytes += r.bytes();
            errors += r.errors();
            latencyP50MsWeighted += r.latencyP50MsWeighted();
            latencyP99MsMax = Math.max(latencyP99MsMax, r.latencyP99MsMax());
            replicaSeconds += r.replicaSeconds();
            reportedFromMicros = Math.min(reportedFromMicros, r.reportedFromMicros());
            reportedToMicros = Math.max(reportedToMicros, r.reportedToMicros());
            return true;
        }

        synchronized EdgeRow retire(EdgeKey key) {
            retired = true;
            return new EdgeRow(
                    key,
                    samples,
                    calls,
                    bytes,
                    errors,
                    latencyP50MsWeighted,
                    latencyP99MsMax,
                    replicaSeconds,
                    reportedFromMicros,
                    reportedToMicros);
        }
    }
}
