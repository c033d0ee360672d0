package dev.weft.rollout.policy;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.gate.Gate;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One step of a rollout: the new version's share of new requests (basis points), the least time the step
 * holds before it may pass, and the gates it checks besides the policy's own.
 */
public record Step(int weightBasisPoints, Duration hold, List<Gate> gates) {

    public Step {
        requireNonNull(hold, "hold is null");
        gates = List.copyOf(gates);
        if (weightBasisPoints < 0 || weightBasisPoints > 10_000) {
            throw new IllegalArgumentException(
                    "weight must be between 0 and 10000 basis points, was " + weightBasisPoints);
        }
        if (hold.isNegative()
                || hold.compareTo(Policy.MAX_HOLD) > 0
                || !hold.truncatedTo(ChronoUnit.SECONDS).equals(hold)) {
            throw new IllegalArgumentException("hold must be whole seconds between 0s and 24h, was " + hold);
        }
        if (gates.size() > Policy.MAX_GATES) {
            throw new IllegalArgumentException(
                    "a step has at most " + Policy.MAX_GATES + " gates, was " + gates.size());
        }
    }

    /** A step with no gates of its own. */
    public static Step of(int weightBasisPoints, Duration hold) {
        return new Step(weightBasisPoints, hold, List.of());
    }

    /** The last step of every policy: 100 %, which promotes at once. */
    public static Step full() {
        return of(10_000, Duration.ZERO);
    }
}
