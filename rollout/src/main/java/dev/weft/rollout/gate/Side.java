package dev.weft.rollout.gate;

import org.jspecify.annotations.Nullable;

/**
 * One version's figure for a gate, the evidence behind it (requests or calls, rounded to a whole number) and
 * the reports it came from. {@code value} is null when the figure is undefined.
 */
record Side(String version, @Nullable Double value, long evidence, long samples) {

    boolean enough(long minRequests) {
        return value != null && samples > 0 && evidence >= minRequests;
    }
}
