package dev.weft.rollout.gate;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads gates over a {@link LoadComparison}. A verdict needs {@code minRequests} of evidence on both sides
 * (and at least one report): with less, the gate is {@link Verdict#INSUFFICIENT_DATA} and holds its step, never
 * passes it. At a 0 % step, where no user traffic reaches the new version, a new side short of evidence makes
 * the gate {@link Verdict#NOT_EVALUATED} instead (the step is then time-only); traffic sent to the new version
 * directly (smoke tests, synthetic probes) is judged like any other once it reaches {@code minRequests}.
 */
public final class Gates {

    /** Latencies below this are read as this much in a ratio: sub-millisecond differences are noise. */
    public static final double LATENCY_FLOOR_MS = 1.0;

    private Gates() {}

    public static List<GateReading> evaluate(
            List<Gate> gates, LoadComparison load, long minRequests, boolean zeroWeightStep) {
        return gates.stream()
                .map(g -> evaluate(g, load, minRequests, zeroWeightStep))
                .toList();
    }

    public static GateReading evaluate(Gate gate, LoadComparison load, long minRequests, boolean zeroWeightStep) {
        if (minRequests < 1) {
            throw new IllegalArgumentException("minRequests must be at least 1, was " + minRequests);
        }
        double seconds = load.seconds();
        Side next = Measure.of(gate.metric(), gate.component(), load.newVersion(), seconds);
        Side current = Measure.of(gate.metric(), gate.component(), load.oldVersion(), seconds);
        Double value = compared(gate.metric(), next.value(), current.value());
        Verdict verdict;
        if (zeroWeightStep && !next.enough(minRequests)) {
            verdict = Verdict.NOT_EVALUATED;
        } else if (!next.enough(minRequests) || !current.enough(minRequests) || value == null) {
            verdict = Verdict.INSUFFICIENT_DATA;
        } else {
            verdict = gate.admits(value) ? Verdict.PASS : Verdict.FAIL;
        }
        return new GateReading(
                gate,
                verdict,
                value,
                next.value(),
                current.value(),
                next.evidence(),
                current.evidence(),
                next.samples(),
                current.samples(),
                load.start(),
                load.end(),
                ReadingText.of(gate, verdict, value, next, current, minRequests));
    }

    private static @Nullable Double compared(Metric metric, @Nullable Double next, @Nullable Double current) {
        if (metric != Metric.LATENCY_P99_RATIO) {
            return next;
        }
        if (next == null || current == null) {
            return null;
        }
        return Math.max(next, LATENCY_FLOOR_MS) / Math.max(current, LATENCY_FLOOR_MS);
    }
}
