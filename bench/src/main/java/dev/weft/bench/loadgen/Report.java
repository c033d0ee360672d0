package dev.weft.bench.loadgen;

import java.util.Locale;

/** Prints the result as a Markdown table, ready to paste into bench/RESULTS.md. */
final class Report {

    private Report() {}

    static void print(
            Options o,
            double connectSeconds,
            long connected,
            double seconds,
            Snapshot b,
            Snapshot a,
            LatencyHistogram latencies,
            Samples cp,
            Samples self,
            SimulatedAgent.Stats stats) {
        double flushes = a.flushes() - b.flushes();
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "agent load ingestion: %d agents x 1 report / %d ms, %d components + %d edges per report, "
                        + "%d version(s), %d channels, JDK %s, %d cpus%n",
                o.agents,
                o.intervalMillis,
                o.components,
                o.edges,
                o.versions,
                o.channels,
                Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.println();
        System.out.println(
                "| agents asked | connected at end (gen / server) | connect s | measured s | reports sent/s "
                        + "| acks/s | server accepted/s | ack p50 ms | ack p99 ms | ack max ms | coalesced | slow-downs | dropped samples "
                        + "| rows written/s | flushes (failed) | mean flush ms | CP CPU mean / max | CP heap mean / max MiB | generator CPU mean |");
        System.out.println(
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|");
        System.out.printf(
                Locale.ROOT,
                "| %d | %d / %.0f | %.1f | %.1f | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.0f | %d | %.0f "
                        + "| %.1f | %.0f (%.0f) | %.1f | %.0f %% / %.0f %% | %.0f / %.0f | %.0f %% |%n",
                o.agents,
                connected,
                a.connected(),
                connectSeconds,
                seconds,
                (a.sent() - b.sent()) / seconds,
                (a.acked() - b.acked()) / seconds,
                (a.accepted() - b.accepted()) / seconds,
                latencies.percentileMillis(0.50),
                latencies.percentileMillis(0.99),
                latencies.percentileMillis(1.0),
                a.coalesced() - b.coalesced(),
                a.slowDownsReceived() - b.slowDownsReceived(),
                a.droppedSamples() - b.droppedSamples(),
                (a.rowsWritten() - b.rowsWritten()) / seconds,
                flushes,
                a.writeFailures() - b.writeFailures(),
                flushes == 0 ? Double.NaN : (a.flushSeconds() - b.flushSeconds()) * 1000 / flushes,
                cp.cpuMean() * 100,
                cp.cpuMax() * 100,
                cp.heapMean(),
                cp.heapMax(),
                self.cpuMean() * 100);
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "reports sent while gRPC said not ready (buffered): %d, partial acks: %d, overlap acks: %d, "
                        + "lease expiries while measuring: %.0f, in-stream errors: %d, streams failed before the end: %d, "
                        + "pending entries at end: %.0f%s%n",
                a.notReady() - b.notReady(),
                a.partialAcks() - b.partialAcks(),
                a.overlapAcks() - b.overlapAcks(),
                a.leaseExpiries() - b.leaseExpiries(),
                a.errors(),
                a.failed(),
                a.pending(),
                stats.lastError.get().isEmpty() ? "" : ", last error: " + stats.lastError.get());
    }
}
