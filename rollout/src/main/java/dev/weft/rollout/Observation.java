package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.gate.LoadComparison;
import org.jspecify.annotations.Nullable;

/**
 * What the scheduler observed for one {@code advance}: the new version's placement; the load of both versions
 * over the same interval, from {@link RolloutState#gateWindowStart()} to now (null when none is needed or none
 * is read yet); the number of cross-version calls observed for the application since the rollout started (any
 * at all rolls it back); and the in-flight requests of {@link RolloutState#drainingVersion()}.
 */
public record Observation(
        PlacementStatus placement,
        @Nullable LoadComparison load,
        long violations,
        @Nullable InFlight draining) {

    public Observation {
        requireNonNull(placement, "placement is null");
        if (violations < 0) {
            throw new IllegalArgumentException("violations must be >= 0, was " + violations);
        }
    }

    /** Only the placement: no load, no violations, no in-flight figure. */
    public static Observation of(PlacementStatus placement) {
        return new Observation(placement, null, 0, null);
    }

    public Observation withLoad(@Nullable LoadComparison comparison) {
        return new Observation(placement, comparison, violations, draining);
    }

    public Observation withViolations(long count) {
        return new Observation(placement, load, count, draining);
    }

    public Observation withDraining(@Nullable InFlight inFlight) {
        return new Observation(placement, load, violations, inFlight);
    }
}
