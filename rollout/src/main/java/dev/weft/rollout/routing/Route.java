package dev.weft.rollout.routing;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The endpoints of one component in a routing table. */
public record Route(String component, List<Endpoint> endpoints) {

    public Route {
        requireNonNull(component, "component is null");
        endpoints = List.copyOf(endpoints);
    }
}
