package dev.weft.rollout.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The version-isolation rules: a request that entered version v is served by v alone. A routing table lists
 * only its own version's endpoints and reaches only agents that run that version; a call whose caller and
 * callee versions differ is a violation, whoever reports it.
 */
public final class Isolation {

    private Isolation() {}

    /** Every endpoint of another version in the table (empty when the table is version-pure). */
    public static List<Impurity> impurities(RoutingTable table) {
        List<Impurity> found = new ArrayList<>();
        for (Route route : table.routes()) {
            for (Endpoint endpoint : route.endpoints()) {
                if (!endpoint.version().equals(table.version())) {
                    found.add(new Impurity(
                            route.component(),
                            endpoint,
                            "the routing table of " + table.application() + " " + table.version() + " lists "
                                    + endpoint.address() + " (assignment " + endpoint.assignmentId() + ") for "
                                    + route.component() + ", which runs " + endpoint.version()));
                }
            }
        }
        return List.copyOf(found);
    }

    /** True when every endpoint of the table runs the table's version. */
    public static boolean isVersionPure(RoutingTable table) {
        return impurities(table).isEmpty();
    }

    /** True when an agent running {@code agentVersions} (of the table's application) may receive the table. */
    public static boolean mayReceive(RoutingTable table, Set<String> agentVersions) {
        return agentVersions.contains(table.version());
    }

    /** A reported call from {@code callerVersion} to {@code calleeVersion}: same version, or a violation. */
    public static CallKind classify(String callerVersion, String calleeVersion) {
        return callerVersion.equals(calleeVersion) ? CallKind.SAME_VERSION : CallKind.VIOLATION;
    }
}
