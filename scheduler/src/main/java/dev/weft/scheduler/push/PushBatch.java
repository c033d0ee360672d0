package dev.weft.scheduler.push;

import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.scheduler.push.PushStore.SplitRow;
import dev.weft.scheduler.push.PushStore.TableRow;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one transaction changed: agents whose AssignmentSet, versions whose RoutingTable and applications whose
 * TrafficSplit got a new generation. The ids are what travels between control-plane nodes; a node that receives them
 * reads the messages back from the database.
 *
 * <p>The node that made the changes also knows what it wrote ({@link Written}): the sets of the agents it read or
 * wrote (as they are once it commits), the tables and splits it wrote. It sends those straight from memory after the
 * commit instead of reading them back; whatever the batch names that they do not hold is read from the database. A
 * batch merged with one from another node knows nothing of what it wrote: everything is read back, as the other
 * node's changes may be newer.
 *
 * @param anyAgent any agent's set may have changed, not only {@code agents}' (a batch too large to name them all)
 * @param written what the committing node wrote, {@link Written#NONE} for a batch from another node
 */
record PushBatch(Set<String> agents, Set<Long> versions, Set<Long> applications, boolean anyAgent, Written written) {

    PushBatch(Set<String> agents, Set<Long> versions, Set<Long> applications) {
        this(agents, versions, applications, false);
    }

    PushBatch(Set<String> agents, Set<Long> versions, Set<Long> applications, boolean anyAgent) {
        this(agents, versions, applications, anyAgent, Written.NONE);
    }

    PushBatch {
        agents = Set.copyOf(agents);
        versions = Set.copyOf(versions);
        applications = Set.copyOf(applications);
    }

    /**
     * The messages this node's transactions wrote, by agent, version and application. Of two for the same key, the one
     * with the higher generation is kept when batches merge (a later commit's may be dispatched first).
     *
     * @param local written by this node; {@link #NONE} (not local) for a batch from another node, and for a merge with
     *              one
     */
    record Written(
            Map<String, AssignmentSet> sets, Map<Long, TableRow> tables, Map<Long, SplitRow> splits, boolean local) {

        static final Written NONE = new Written(Map.of(), Map.of(), Map.of(), false);

        Written {
            sets = Map.copyOf(sets);
            tables = Map.copyOf(tables);
            splits = Map.copyOf(splits);
        }

        Written plus(Written other) {
            if (!local || !other.local) {
                return NONE;
            }
            Map<String, AssignmentSet> s = new HashMap<>(sets);
            other.sets.forEach((k, v) -> s.merge(k, v, (a, b) -> b.getGeneration() >= a.getGeneration() ? b : a));
            Map<Long, TableRow> t = new HashMap<>(tables);
            other.tables.forEach((k, v) -> t.merge(
                    k, v, (a, b) -> b.table().getGeneration() >= a.table().getGeneration() ? b : a));
            Map<Long, SplitRow> p = new HashMap<>(splits);
            other.splits.forEach((k, v) -> p.merge(
                    k, v, (a, b) -> b.split().getGeneration() >= a.split().getGeneration() ? b : a));
            return new Written(s, t, p, true);
        }
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
        return new PushBatch(a, v, s, anyAgent || other.anyAgent, written.plus(other.written));
    }

    /** Collects a transaction's changes until it commits. */
    static final class Builder {
        final Set<String> agents = new TreeSet<>();
        final Set<Long> versions = new TreeSet<>();
        final Set<Long> applications = new TreeSet<>();
        /** The agents' sets as this transaction leaves them (read or written by it); a later write replaces one. */
        final Map<String, AssignmentSet> sets = new HashMap<>();

        final Map<Long, TableRow> tables = new HashMap<>();
        final Map<Long, SplitRow> splits = new HashMap<>();

        PushBatch build() {
            return new PushBatch(agents, versions, applications, false, new Written(sets, tables, splits, true));
        }
    }
}
