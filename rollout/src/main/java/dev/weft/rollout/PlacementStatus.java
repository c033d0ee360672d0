package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

/**
 * How far the new version's placement is, as the scheduler sees it: every planned replica running and
 * acknowledged ({@link Complete}), still starting ({@link Placing}), waiting for capacity that may come
 * ({@link ShortOfCapacity}), or impossible without an operator ({@link Failed}: replicas that keep failing to
 * start, constraints no agent can meet).
 */
public sealed interface PlacementStatus {

    record Complete() implements PlacementStatus {}

    /** Replicas are starting, e.g. {@code "12 of 20 replicas running"}. */
    record Placing(String detail) implements PlacementStatus {
        public Placing {
            requireNonNull(detail, "detail is null");
        }
    }

    /** The plan cannot place everything yet, e.g. {@code "group cart: replica 2 of 3 needs 0.5 cores ..."}. */
    record ShortOfCapacity(String reason) implements PlacementStatus {
        public ShortOfCapacity {
            requireNonNull(reason, "reason is null");
        }
    }

    /** The version will not place: the rollout rolls back. */
    record Failed(String reason) implements PlacementStatus {
        public Failed {
            requireNonNull(reason, "reason is null");
        }
    }

    static PlacementStatus complete() {
        return new Complete();
    }
}
