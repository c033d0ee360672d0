package dev.weft.rollout.routing;

import static java.util.Objects.requireNonNull;

/** One replica serving a component: where it is, which assignment it is, and the version it runs. */
public record Endpoint(String address, String assignmentId, String version) {

    public Endpoint {
        requireNonNull(address, "address is null");
        requireNonNull(assignmentId, "assignmentId is null");
        requireNonNull(version, "version is null");
    }
}
