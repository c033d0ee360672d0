package dev.weft.rollout.routing;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The routing table of one version of an application: each of its components with the endpoints that host
 * it, each endpoint tagged with the version it runs (what the scheduler builds before it pushes the wire
 * {@code RoutingTable}, which no longer carries the tag). {@link Isolation#impurities} checks it.
 */
public record RoutingTable(String application, String version, List<Route> routes) {

    public RoutingTable {
        requireNonNull(application, "application is null");
        requireNonNull(version, "version is null");
        routes = List.copyOf(routes);
    }
}
