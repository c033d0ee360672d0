package dev.weft.rollout.gate;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * The load of the new and the old version over the same interval {@code [start, end)}: what every gate
 * compares. Gates never compare with history, only the two versions side by side under the same conditions.
 */
public record LoadComparison(Instant start, Instant end, VersionLoad newVersion, VersionLoad oldVersion) {

    public LoadComparison {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        requireNonNull(newVersion, "newVersion is null");
        requireNonNull(oldVersion, "oldVersion is null");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("the interval must start before it ends, was " + start + " .. " + end);
        }
        if (newVersion.version().equals(oldVersion.version())) {
            throw new IllegalArgumentException("both sides are version " + newVersion.version());
        }
    }

    /** The interval's length in seconds. */
    public double seconds() {
        return Duration.between(start, end).toNanos() / 1e9;
    }
}
