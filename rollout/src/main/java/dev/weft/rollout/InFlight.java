package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The requests in flight in the version being drained, summed over its replicas' latest reports, and the time
 * of the oldest of those reports ({@code asOf}). Only a figure reported after the version stopped receiving new
 * requests counts; a version with no replica left reports 0 as of now.
 */
public record InFlight(double requests, Instant asOf) {

    public InFlight {
        requireNonNull(asOf, "asOf is null");
        if (!Double.isFinite(requests) || requests < 0) {
            throw new IllegalArgumentException("in-flight requests must be a finite number >= 0, was " + requests);
        }
    }
}
