package dev.weft.rollout.routing;

import static java.util.Objects.requireNonNull;

/** An endpoint of another version found in a version's routing table, with a sentence saying so. */
public record Impurity(String component, Endpoint endpoint, String detail) {

    public Impurity {
        requireNonNull(component, "component is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(detail, "detail is null");
    }
}
