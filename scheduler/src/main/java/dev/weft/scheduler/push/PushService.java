package dev.weft.scheduler.push;

import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.api.agent.v1.Endpoint;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.Route;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.api.agent.v1.TrafficSplit;
import dev.weft.api.agent.v1.VersionWeight;
import dev.weft.scheduler.push.PushStore.IngressEndpoint;
import dev.weft.scheduler.push.PushStore.SplitRow;
import dev.weft.scheduler.push.PushStore.TableRow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records desired state in the caller's transaction and hands what changed to the {@link PushDispatcher} once it
 * commits. Generations only grow: each changed AssignmentSet, RoutingTable and TrafficSplit gets the previous one's
 * generation plus one; an unchanged one keeps its generation and is not sent again.
 */
@Service
class PushService implements Push {

    private static final Comparator<Assignment> ORDER = Comparator.comparing(Assignment::getApplication)
            .thenComparing(Assignment::getVersion)
            .thenComparingInt(Assignment::getGroupIndex)
            .thenComparingInt(Assignment::getReplicaIndex)
            .thenComparing(Assignment::getAssignmentId);

    private final PushStore store;
    private final PushDispatcher dispatcher;
    private final PushFanOut fanOut;
    private final Clock clock;

    PushService(PushStore store, PushDispatcher dispatcher, PushFanOut fanOut, Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.fanOut = fanOut;
        this.clock = clock;
    }

    @Override
    public void place(VersionReplicas v) {
        PushBatch.Builder batch = batch();
        Instant now = clock.instant();
        store.lockSetWriters(); // before the table's and the split's row locks: see the method
        Optional<TableRow> old = store.lockTable(v.versionId());
        Set<String> hosts = new TreeSet<>();
        v.replicas().forEach(r -> hosts.add(r.agentId()));
        Set<String> affected = new TreeSet<>(hosts);
        old.ifPresent(row -> affected.addAll(row.hosts()));

        // every affected agent's whole set: its other versions' assignments stay, this version's are replaced
        Map<String, AssignmentSet> sets = store.lockSets(affected);
        Map<String, List<Assignment>> mine = new TreeMap<>();
        for (Replica r : v.replicas()) {
            mine.computeIfAbsent(r.agentId(), id -> new ArrayList<>()).add(assignment(v, r));
        }
        Map<String, AssignmentSet> changed = new LinkedHashMap<>();
        for (String agent : affected) {
            AssignmentSet row = sets.get(agent);
            List<Assignment> next = new ArrayList<>();
            if (row != null) {
                for (Assignment a : row.getAssignmentsList()) {
                    if (!(a.getApplication().equals(v.application())
                            && a.getVersion().equals(v.version()))) {
                        next.add(a);
                    }
                }
            }
            next.addAll(mine.getOrDefault(agent, List.of()));
            next.sort(ORDER);
            if (row == null && next.isEmpty()) {
                continue;
            }
            if (row == null || !row.getAssignmentsList().equals(next)) {
                long generation = row == null ? 1 : row.getGeneration() + 1;
                changed.put(
                        agent,
                        AssignmentSet.newBuilder()
                                .setGeneration(generation)
                                .addAllAssignments(next)
                                .build());
            }
        }
        store.writeSets(changed, now);
        // only the agents whose set changed get it; the others' sets (still read: they say which routes an agent needs)
        batch.sets.putAll(sets);
        batch.sets.putAll(changed);
        batch.agents.addAll(changed.keySet());

        RoutingTable.Builder table =
                RoutingTable.newBuilder().setApplication(v.application()).setVersion(v.version());
        for (String component : new TreeSet<>(v.components())) {
            List<Endpoint> endpoints = v.replicas().stream()
                    .filter(r -> r.components().contains(component))
                    .map(r -> Endpoint.newBuilder()
                            .setAddress(r.agentAddress())
                            .setAssignmentId(r.assignmentId())
                            .build())
                    .sorted(Comparator.comparing(Endpoint::getAddress).thenComparing(Endpoint::getAssignmentId))
                    .toList();
            table.addRoutes(Route.newBuilder().setComponent(component).addAllEndpoints(endpoints));
        }
        Set<String> ingressHosts = new TreeSet<>();
        List<IngressEndpoint> ingress = new ArrayList<>();
        v.replicas().stream()
                .filter(r -> r.components().stream().anyMatch(v.ingressComponents()::contains))
                .sorted(Comparator.comparing(Replica::agentAddress).thenComparing(Replica::assignmentId))
                .forEach(r -> {
                    ingressHosts.add(r.agentId());
                    ingress.add(new IngressEndpoint(r.agentAddress(), r.assignmentId()));
                });
        boolean tableChanged = old.isEmpty()
                || !old.get().table().getRoutesList().equals(table.getRoutesList())
                || !old.get().hosts().equals(hosts);
        boolean ingressChanged = old.isEmpty()
                || !old.get().ingress().equals(ingress)
                || !old.get().ingressHosts().equals(ingressHosts);
        if (tableChanged || ingressChanged) {
            long generation = old.map(r -> r.table().getGeneration() + (tableChanged ? 1 : 0))
                    .orElse(1L);
            RoutingTable written = table.setGeneration(generation).build();
            store.writeTable(v.versionId(), v.applicationId(), written, hosts, ingressHosts, ingress, now);
            batch.tables.put(v.versionId(), new TableRow(v.versionId(), written, hosts, ingressHosts, ingress));
            if (tableChanged) {
                batch.versions.add(v.versionId());
            }
        }
        if (ingressChanged) {
            store.lockSplit(v.applicationId())
                    .ifPresent(row -> refreshSplit(v.applicationId(), row, weightsOf(row.split()), batch, now));
        }
    }

    @Override
    public void split(long applicationId, String application, List<Weight> weights) {
        int total = weights.stream().mapToInt(Weight::basisPoints).sum();
        if (!weights.isEmpty() && total != 10_000) {
            throw new IllegalArgumentException("weights of " + application + " add up to " + total + " bp, not 10000");
        }
        if (weights.stream().map(Weight::version).distinct().count() != weights.size()) {
            throw new IllegalArgumentException("weights of " + application + " name a version twice: " + weights);
        }
        PushBatch.Builder batch = batch();
        store.lockSetWriters();
        Optional<SplitRow> row = store.lockSplit(applicationId);
        SplitRow current = row.orElse(new SplitRow(
                applicationId,
                TrafficSplit.newBuilder().setApplication(application).build(),
                Set.of()));
        refreshSplit(applicationId, current, weights, batch, clock.instant());
    }

    private void refreshSplit(
            long applicationId, SplitRow row, List<Weight> weights, PushBatch.Builder batch, Instant now) {
        Map<String, TableRow> tables = store.tablesOf(applicationId);
        Set<String> hosts = new TreeSet<>();
        tables.values().forEach(t -> hosts.addAll(t.ingressHosts()));
        TrafficSplit.Builder next =
                TrafficSplit.newBuilder().setApplication(row.split().getApplication());
        for (Weight w : weights) {
            TableRow table = tables.get(w.version());
            next.addWeights(VersionWeight.newBuilder()
                    .setVersion(w.version())
                    .setWeightBp(w.basisPoints())
                    .addAllIngressEndpoints(
                            table == null
                                    ? List.of()
                                    : table.ingress().stream()
                                            .map(IngressEndpoint::proto)
                                            .toList()));
        }
        boolean isNew = row.split().getGeneration() == 0;
        if (!isNew
                && row.split().getWeightsList().equals(next.getWeightsList())
                && row.hosts().equals(hosts)) {
            return;
        }
        TrafficSplit split = next.setGeneration(row.split().getGeneration() + 1).build();
        store.writeSplit(applicationId, split, hosts, now);
        batch.splits.put(applicationId, new SplitRow(applicationId, split, hosts));
        batch.applications.add(applicationId);
    }

    private static List<Weight> weightsOf(TrafficSplit split) {
        return split.getWeightsList().stream()
                .map(w -> new Weight(w.getVersion(), w.getWeightBp()))
                .toList();
    }

    /** In the caller's transaction: the agent's set again, unchanged but with a new generation, so it retries. */
    void resend(String agentId) {
        AssignmentSet row = store.lockSets(List.of(agentId)).get(agentId);
        if (row == null) {
            return;
        }
        AssignmentSet again =
                row.toBuilder().setGeneration(row.getGeneration() + 1).build();
        store.writeSets(Map.of(agentId, again), clock.instant());
        PushBatch.Builder batch = batch();
        batch.sets.put(agentId, again);
        batch.agents.add(agentId);
    }

    /**
     * In the caller's transaction: an agent said it applied {@code applied}, above the generation stored for it
     * (its control plane's database was replaced, say). Its set gets a generation above that, so it is not ignored.
     */
    void overtake(String agentId, long applied) {
        AssignmentSet row = store.lockSets(List.of(agentId)).get(agentId);
        if (row == null || row.getGeneration() >= applied) {
            return;
        }
        store.writeSets(
                Map.of(agentId, row.toBuilder().setGeneration(applied + 1).build()), clock.instant());
    }

    @Override
    public Set<String> excludedAgents(long versionId) {
        return store.excluded(versionId);
    }

    private static Assignment assignment(VersionReplicas v, Replica r) {
        return Assignment.newBuilder()
                .setAssignmentId(r.assignmentId())
                .setApplication(v.application())
                .setVersion(v.version())
                .setGroupIndex(r.groupIndex())
                .addAllComponents(r.components())
                .setReplicaIndex(r.replicaIndex())
                .setArtifact(v.artifact())
                .setResources(
                        Resources.newBuilder().setCpuMillicores(r.cpuMillis()).setMemoryMib(r.memoryMiB()))
                .build();
    }

    /** The batch of the current transaction; its changes are dispatched once it commits. */
    private PushBatch.Builder batch() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("Push changes must be made in a transaction");
        }
        Object bound = TransactionSynchronizationManager.getResource(this);
        if (bound instanceof PushBatch.Builder builder) {
            return builder;
        }
        PushBatch.Builder builder = new PushBatch.Builder();
        TransactionSynchronizationManager.bindResource(this, builder);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                // the other nodes' agents: the notification goes out with the commit, never without it
                fanOut.publish(builder.build());
            }

            @Override
            public void afterCommit() {
                dispatcher.dispatch(builder.build());
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(PushService.this);
            }
        });
        return builder;
    }
}
