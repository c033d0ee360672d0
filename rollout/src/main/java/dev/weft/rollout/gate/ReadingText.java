package dev.weft.rollout.gate;

import org.jspecify.annotations.Nullable;

/** The sentence of a gate reading: what was compared, on how much traffic, and what it means. */
final class ReadingText {

    private ReadingText() {}

    static String of(Gate gate, Verdict verdict, @Nullable Double value, Side next, Side current, long minRequests) {
        String unit = unit(gate.metric().evidence());
        return switch (verdict) {
            case PASS -> gate.describe() + " passed: " + figures(gate, value, next, current, unit);
            case FAIL -> gate.describe() + " failed: " + figures(gate, value, next, current, unit);
            case INSUFFICIENT_DATA ->
                gate.describe() + " holds: it needs " + minRequests + " " + unit + " on each version, " + side(next)
                        + ", " + side(current);
            case NOT_EVALUATED ->
                gate.describe() + " not evaluated: no user traffic reaches " + next.version()
                        + " at 0 %, and it served " + next.evidence() + " of the " + minRequests + " " + unit
                        + " needed";
        };
    }

    private static String figures(Gate gate, @Nullable Double value, Side next, Side current, String unit) {
        String both = next.version() + " " + number(next.value()) + " (" + next.evidence() + " " + unit + ") vs "
                + current.version() + " " + number(current.value()) + " (" + current.evidence() + " " + unit + ")";
        return gate.metric() == Metric.LATENCY_P99_RATIO ? "p99 " + both + " ms, ratio " + number(value) : both;
    }

    private static String side(Side side) {
        if (side.samples() == 0) {
            return side.version() + " reported nothing";
        }
        return side.version() + " has " + side.evidence();
    }

    private static String unit(Evidence evidence) {
        return switch (evidence) {
            case REQUESTS -> "requests";
            case VERSION_REQUESTS -> "requests of the whole version";
            case CALLS -> "calls";
        };
    }

    private static String number(@Nullable Double value) {
        return value == null ? "undefined" : Numbers.format(value);
    }
}
