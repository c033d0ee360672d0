package dev.weft.bench.loadgen;

/** Counters of the generator and of the control plane at one moment, to subtract at the end. */
record Snapshot(
        long sent,
        long acked,
        long coalescedAcks,
        long partialAcks,
        long overlapAcks,
        long notReady,
        long slowDownsReceived,
        long errors,
        long failed,
        double accepted,
        double coalesced,
        double slowDowns,
        double droppedSamples,
        double rowsWritten,
        double flushes,
        double flushSeconds,
        double batches,
        double writeFailures,
        double connected,
        double pending,
        double leaseExpiries) {

    static Snapshot take(ControlPlaneHttp http, SimulatedAgent.Stats stats) {
        return new Snapshot(
                stats.sent.sum(),
                stats.accepted.sum() + stats.coalesced.sum() + stats.partial.sum() + stats.overlap.sum(),
                stats.coalesced.sum(),
                stats.partial.sum(),
                stats.overlap.sum(),
                stats.notReady.sum(),
                stats.slowDowns.sum(),
                stats.errors.sum(),
                stats.failed.sum(),
                http.metric("weft.load.reports.accepted", "COUNT"),
                http.metric("weft.load.reports.coalesced", "COUNT"),
                http.metric("weft.load.slowdowns", "COUNT"),
                http.metric("weft.load.samples.dropped", "COUNT"),
                http.metric("weft.load.rows.written", "COUNT"),
                http.metric("weft.load.write", "COUNT"),
                http.metric("weft.load.write", "TOTAL_TIME"),
                http.metric("weft.load.batch.rows", "COUNT"),
                http.metric("weft.load.write.failures", "COUNT"),
                http.metric("weft.agents.connected", "VALUE"),
                http.metric("weft.load.pending.entries", "VALUE"),
                http.metric("weft.agents.lease.expiries", "COUNT"));
    }
}
