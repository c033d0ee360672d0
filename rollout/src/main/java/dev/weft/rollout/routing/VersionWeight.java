package dev.weft.rollout.routing;

import static java.util.Objects.requireNonNull;

/** One version's share of an application's new requests, in basis points (0..10000; 100 bp = 1 %). */
public record VersionWeight(String version, int basisPoints) {

    public VersionWeight {
        requireNonNull(version, "version is null");
        if (version.isBlank()) {
            throw new IllegalArgumentException("version is blank");
        }
        if (basisPoints < 0 || basisPoints > Weights.TOTAL) {
            throw new IllegalArgumentException(
                    "weight of " + version + " must be between 0 and 10000 basis points, was " + basisPoints);
        }
    }
}
