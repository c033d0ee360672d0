package dev.weft.scheduler.load;

/**
 * Where the agent streams hand validated load reports. It never blocks the caller: when the database
 * falls behind it coalesces reports in memory (bounded) and asks the agent to slow down.
 */
public interface LoadSink {

    /** Takes one report whose ids and figures the caller has already checked. */
    Receipt offer(LoadReport report);

    /**
     * What became of one report: how it was admitted, and how many of its samples could not be kept (when
     * memory for load not yet written is full); the rest of the report was aggregated.
     */
    record Receipt(Admission admission, int droppedSamples) {

        public Receipt {
            java.util.Objects.requireNonNull(admission, "admission is null");
            if (droppedSamples < 0) {
                throw new IllegalArgumentException("droppedSamples must be >= 0, was " + droppedSamples);
            }
        }
    }

    /** What became of an offered report, and what the agent should do next. */
    enum Admission {
        /** Aggregated; keep reporting at the agreed interval. */
        ACCEPTED,
        /** Aggregated into an existing entry because the writer is behind; keep the interval. */
        COALESCED,
        /** Aggregated, but the writer is far behind: the agent should report less often. */
        SLOW_DOWN
    }
}
