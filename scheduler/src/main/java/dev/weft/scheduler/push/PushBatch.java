package dev.weft.scheduler.push;

import java.util.Set;
import java.util.TreeSet;

/**
 * What one transaction changed: agents whose AssignmentSet, versions whose RoutingTable and applications whose
 * TrafficSplit got a new generation. Ids only: whoever dispatches reads the messages back from the database, so a
 * batch can travel between control-plane nodes as it is.
 *
 * @param anyAgent any agent's set may have changed, not only {@code agents}' (a batch too large to name them all)
 */
record PushBatch(Set<String> agents, Set<Long> versions, Set<Long> applications, boolean anyAgent) {

    PushBatch(Set<String> agents, Set<Long> versions, Set<Long> applications) {
        this(agents, versions, applications, false);
    }

    PushBatch {
        agents = Set.copyOf(agents);
        versions = Set.copyOf(versions);
        applications = Set.copyOf(applications);
    }

    boolean isEmpty() {
        return !anyAgent && agents.isEmpty() && versions.isEmpty() && applications.isEmpty();
    }

    /** Whether the agent's set may have changed. */
    boolean names(String agent) {
        return anyAgent || agents.contains(agent);
    }

    PushBatch plus(PushBatch other) {
        Set<String> a = new TreeSet<>(agents);
        a.addAll(other.agents);
        Set<Long> v = new TreeSet<>(versions);
        v.addAll(other.versions);
        Set<Long> s = new TreeSet<>(applications);
        s.addAll(other.applications);
        return new PushBatch(a, v, s, anyAgent || other.anyAgent);
    }

    /** Collects a transaction's changes until it commits. */
    static final class Builder {
        final Set<String> agents = new TreeSet<>();
        final Set<Long> versions = new TreeSet<>();
        final Set<Long> applications = new TreeSet<>();

        PushBatch build() {
            return new PushBatch(agents, versions, applications);
        }
    }
}
