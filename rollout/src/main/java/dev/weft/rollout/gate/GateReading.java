package dev.weft.rollout.gate;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One reading of a gate over {@code [from, to)}: the figure compared with the bounds ({@code value}: the
 * ratio for {@code latencyP99Ratio}, else the new version's figure), both versions' figures side by side, the
 * evidence on each side (requests, or calls for edge metrics: see {@link Metric#evidence()}) and the reports
 * behind it, the verdict and a sentence that says all of it. A figure is null when it is undefined (no
 * requests, no calls).
 */
public record GateReading(
        Gate gate,
        Verdict verdict,
        @Nullable Double value,
        @Nullable Double newValue,
        @Nullable Double oldValue,
        long newRequests,
        long oldRequests,
        long newSamples,
        long oldSamples,
        Instant from,
        Instant to,
        String detail) {

    public GateReading {
        requireNonNull(gate, "gate is null");
        requireNonNull(verdict, "verdict is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(detail, "detail is null");
    }
}
