package dev.weft.agent.runtime;

import static java.util.Objects.requireNonNull;

import dev.weft.api.agent.v1.Endpoint;
import dev.weft.api.agent.v1.Route;
import dev.weft.api.agent.v1.RoutingTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The routing table of one version, as this process uses it: the replicas serving each component, and the
 * address to dial for each (a sibling replica on the same agent directly, others through their agent). Picks a
 * replica by the power of two choices on calls in flight.
 */
public final class Router {

    /** A replica to call: its assignment id and the address to dial. */
    public record Target(String assignmentId, String address) {
        public Target {
            requireNonNull(assignmentId, "assignmentId is null");
            requireNonNull(address, "address is null");
        }
    }

    private record Table(long generation, Map<String, List<Target>> byComponent) {}

    private final String application;
    private final String version;
    private final RandomGenerator random;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private volatile Table table = new Table(0, Map.of());
    private final java.util.concurrent.CountDownLatch firstTable = new java.util.concurrent.CountDownLatch(1);

    public Router(String application, String version, RandomGenerator random) {
        this.application = requireNonNull(application, "application is null");
        this.version = requireNonNull(version, "version is null");
        this.random = requireNonNull(random, "random is null");
    }

    /**
     * Takes a routing table of this version (a table of another version, or an older generation, is ignored and
     * false returned). {@code localAddresses} maps assignment ids of replicas on this agent to their local
     * address; endpoints at {@code agentAddress} with a local address are dialled directly.
     */
    public synchronized boolean update(
            RoutingTable routing, Map<String, String> localAddresses, @Nullable String agentAddress) {
        if (!routing.getApplication().equals(application)
                || !routing.getVersion().equals(version)) {
            return false;
        }
        if (routing.getGeneration() < table.generation()) {
            return false;
        }
        Map<String, List<Target>> byComponent = new HashMap<>();
        for (Route route : routing.getRoutesList()) {
            List<Target> targets = new ArrayList<>();
            for (Endpoint endpoint : route.getEndpointsList()) {
                String local = localAddresses.get(endpoint.getAssignmentId());
                boolean here = agentAddress == null || endpoint.getAddress().equals(agentAddress);
                String dial = local != null && here ? local : endpoint.getAddress();
                targets.add(new Target(endpoint.getAssignmentId(), dial));
            }
            byComponent.put(route.getComponent(), List.copyOf(targets));
        }
        table = new Table(routing.getGeneration(), Map.copyOf(byComponent));
        firstTable.countDown();
        return true;
    }

    /**
     * Waits until the first routing table has been taken, at most {@code timeoutMillis}; true if one has. A replica
     * can get its first call moments before its agent hands it the table (it said hello, was reported running and
     * given traffic while the table was on its way): its remote calls wait for the table instead of failing.
     */
    public boolean awaitFirstTable(long timeoutMillis) throws InterruptedException {
        return firstTable.await(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public long generation() {
        return table.generation();
    }

    /** Replicas serving a component. */
    public List<Target> targets(String component) {
        return table.byComponent().getOrDefault(component, List.of());
    }

    /** A replica for the next call, skipping the ones already tried; null if none is left. */
    public @Nullable Target pick(String component, Set<String> tried) {
        List<Target> all = targets(component);
        List<Target> candidates = new ArrayList<>(all.size());
        for (Target target : all) {
            if (!tried.contains(target.assignmentId())) {
                candidates.add(target);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        Target a = candidates.get(random.nextInt(candidates.size()));
        Target b = candidates.get(random.nextInt(candidates.size()));
        return load(a) <= load(b) ? a : b;
    }

    private int load(Target target) {
        AtomicInteger count = inFlight.get(target.assignmentId());
        return count == null ? 0 : count.get();
    }

    void started(Target target) {
        inFlight.computeIfAbsent(target.assignmentId(), k -> new AtomicInteger())
                .incrementAndGet();
    }

    void ended(Target target) {
        AtomicInteger count = inFlight.get(target.assignmentId());
        if (count != null) {
            count.decrementAndGet();
        }
    }
}
