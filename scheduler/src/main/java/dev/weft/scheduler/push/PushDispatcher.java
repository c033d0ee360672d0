package dev.weft.scheduler.push;

import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Route;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.scheduler.agents.AgentChannels;
import dev.weft.scheduler.push.PushStore.SetRow;
import dev.weft.scheduler.push.PushStore.SplitRow;
import dev.weft.scheduler.push.PushStore.TableRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends committed changes to the agents whose streams this node holds, on one thread of its own so a commit never
 * waits for thousands of sends. For each agent, in this order: the RoutingTables of versions it hosts that changed,
 * the TrafficSplits of applications whose ingress it hosts that changed, then its AssignmentSet if that changed, so
 * an agent has a version's table before the set that makes it run the version. Each host gets the table as it needs
 * it ({@link #viewFor}). Batches that queue up while one is
 * sent are merged into one. Other nodes' batches arrive through {@link PushFanOut}. An AssignmentSet is sent to an
 * agent only when its generation is above the last one this node sent it, so a batch arriving twice sends nothing
 * twice; a RoutingTable or TrafficSplit older than one this node sent is not sent (a later commit's batch may go
 * first), so each kind reaches an agent in generation order.
 *
 * <p>A batch this node committed is sent from what it wrote ({@link PushBatch.Written}), without reading it back;
 * another node's is read from the database. The messages of one batch are handed to the agents' streams by
 * {@code weft.push.send-threads} threads at once, each agent's messages in order by one of them; the next batch starts
 * when all are handed over.
 */
@Component
class PushDispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PushDispatcher.class);

    private final PushStore store;
    private final AgentChannels channels;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("weft-push").daemon().factory());
    /** Threads that hand one batch's messages to gRPC: the dispatching one and {@code sendThreads - 1} others. */
    private final int sendThreads;

    private final ExecutorService senders;
    /** Agents a sending thread takes at least: below, splitting costs more than it saves. */
    private static final int MIN_PER_LANE = 250;

    private final Counter messages;
    private final Timer sends;
    private final Object lock = new Object();
    private @Nullable PushBatch queued;
    private final Set<String> syncs = new TreeSet<>();
    /** The generation of the AssignmentSet this node last sent each agent connected here. */
    private final Map<String, Long> sentGeneration = new ConcurrentHashMap<>();
    /** The newest generation of each version's RoutingTable, and of each application's TrafficSplit, sent here. */
    private final Map<Long, Long> sentTables = new ConcurrentHashMap<>();

    private final Map<Long, Long> sentSplits = new ConcurrentHashMap<>();

    PushDispatcher(PushStore store, AgentChannels channels, PushProperties properties, MeterRegistry meters) {
        this.store = store;
        this.channels = channels;
        this.sendThreads = properties.sendThreads();
        this.senders = Executors.newFixedThreadPool(
                Math.max(1, sendThreads - 1),
                Thread.ofPlatform().name("weft-push-send-", 1).daemon().factory());
        this.messages = Counter.builder("weft.push.messages")
                .description("AssignmentSets, RoutingTables and TrafficSplits sent to agents by this node")
                .register(meters);
        this.sends = Timer.builder("weft.push.dispatch")
                .description("Time to send one committed batch of changes to the agents connected to this node")
                .register(meters);
    }

    /** A batch committed by this node: sent to this node's agents soon (the other nodes hear of it by the bus). */
    void dispatch(PushBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        deliver(batch);
    }

    /** A committed batch from here or another node: sent to the agents connected here. */
    void deliver(PushBatch batch) {
        synchronized (lock) {
            if (queued != null) {
                queued = queued.plus(batch);
                return;
            }
            queued = batch;
        }
        executor.execute(this::drain);
    }

    private void drain() {
        PushBatch batch;
        synchronized (lock) {
            batch = queued;
            queued = null;
        }
        if (batch == null) {
            return;
        }
        try {
            sends.record(() -> send(batch));
        } catch (RuntimeException e) {
            // the agents still get their state: at their next (re)connect, or with the next change
            log.warn("Could not push {} to agents: {}", batch, e.toString());
        }
    }

    private void send(PushBatch batch) {
        Set<String> here = channels.connectedHere();
        if (here.isEmpty()) {
            return;
        }
        PushBatch.Written written = batch.written();
        Map<Long, TableRow> tables = known(batch.versions(), written.tables(), store::tables);
        Map<Long, SplitRow> splits = known(batch.applications(), written.splits(), store::splits);
        // a later commit's batch may have been sent first: an older table or split than one sent is not sent again
        tables.values()
                .removeIf(t -> !isNewest(sentTables, t.versionId(), t.table().getGeneration()));
        splits.values()
                .removeIf(
                        t -> !isNewest(sentSplits, t.applicationId(), t.split().getGeneration()));
        Set<String> recipients = new TreeSet<>();
        for (String agent : batch.anyAgent() ? here : batch.agents()) {
            if (here.contains(agent)) {
                recipients.add(agent);
            }
        }
        tables.values().forEach(t -> t.hosts().stream().filter(here::contains).forEach(recipients::add));
        splits.values().forEach(s -> s.hosts().stream().filter(here::contains).forEach(recipients::add));
        // the sets of the recipients that get theirs or a table (which routes an agent needs depends on its set): as
        // this node wrote them, else as stored
        Map<String, AssignmentSet> sets = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String agent : recipients) {
            if (batch.names(agent) || hostsAny(tables, agent)) {
                AssignmentSet set = written.sets().get(agent);
                if (set != null) {
                    sets.put(agent, set);
                } else {
                    unknown.add(agent);
                }
            }
        }
        store.sets(unknown).forEach((agent, row) -> sets.put(agent, row.set()));
        Map<Long, Map<Set<String>, RoutingTable>> views = new HashMap<>();
        List<Outgoing> outgoing = new ArrayList<>(recipients.size());
        for (String agent : recipients) {
            List<ControlMessage> out = new ArrayList<>(2);
            AssignmentSet set = sets.get(agent);
            for (TableRow table : tables.values()) {
                if (table.hosts().contains(agent)) {
                    out.add(ControlMessage.newBuilder()
                            .setRoutingTable(viewFor(
                                    table.table(), set, views.computeIfAbsent(table.versionId(), v -> new HashMap<>())))
                            .build());
                }
            }
            for (SplitRow split : splits.values()) {
                if (split.hosts().contains(agent)) {
                    out.add(ControlMessage.newBuilder()
                            .setTrafficSplit(split.split())
                            .build());
                }
            }
            if (set != null && batch.names(agent) && isNew(agent, set.getGeneration())) {
                out.add(ControlMessage.newBuilder().setAssignments(set).build());
            }
            if (!out.isEmpty()) {
                outgoing.add(new Outgoing(agent, out));
            }
        }
        sendAll(outgoing);
    }

    /** The rows of these ids: those this node wrote, the others read from the database. */
    private static <K, R> Map<K, R> known(Set<K> ids, Map<K, R> written, Function<Set<K>, Map<K, R>> read) {
        Map<K, R> out = new TreeMap<>();
        Set<K> unknown = new TreeSet<>();
        for (K id : ids) {
            R row = written.get(id);
            if (row != null) {
                out.put(id, row);
            } else {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            out.putAll(read.apply(unknown));
        }
        return out;
    }

    /** Whether the generation is at or above the last sent of this key; if so, it counts as sent now. */
    private static boolean isNewest(Map<Long, Long> sent, long key, long generation) {
        return sent.merge(key, generation, Math::max) == generation;
    }

    private static boolean hostsAny(Map<Long, TableRow> tables, String agent) {
        for (TableRow table : tables.values()) {
            if (table.hosts().contains(agent)) {
                return true;
            }
        }
        return false;
    }

    /** One agent's messages of a batch, sent in this order on its stream. */
    record Outgoing(String agent, List<ControlMessage> messages) {}

    /**
     * Sends each agent its messages, the agents split into {@code weft.push.send-threads} slices sent at the same
     * time (serializing and framing thousands of messages is the cost). Returns once all are handed to gRPC, so the
     * next batch's messages to an agent always follow this one's.
     */
    private void sendAll(List<Outgoing> outgoing) {
        int lanes = Math.max(1, Math.min(sendThreads, outgoing.size() / MIN_PER_LANE));
        if (lanes == 1) {
            sendSlice(outgoing);
            return;
        }
        int per = (outgoing.size() + lanes - 1) / lanes;
        List<Future<?>> running = new ArrayList<>(lanes - 1);
        for (int lane = 1; lane < lanes; lane++) {
            List<Outgoing> slice = outgoing.subList(
                    Math.min(outgoing.size(), lane * per), Math.min(outgoing.size(), (lane + 1) * per));
            running.add(senders.submit(() -> sendSlice(slice)));
        }
        sendSlice(outgoing.subList(0, Math.min(outgoing.size(), per)));
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                log.warn("Could not push to some agents: {}", String.valueOf(e.getCause()));
            }
        }
    }

    private void sendSlice(List<Outgoing> slice) {
        long sent = 0;
        for (Outgoing o : slice) {
            if (channels.send(o.agent(), o.messages())) {
                sent += o.messages().size();
            }
        }
        messages.increment(sent);
    }

    /** Whether {@code generation} is above the last this node sent the agent; if so, it counts as sent now. */
    private boolean isNew(String agent, long generation) {
        Long before = sentGeneration.get(agent);
        if (before != null && before >= generation) {
            return false;
        }
        sentGeneration.put(agent, generation);
        return true;
    }

    /**
     * The version's table as one agent needs it: without the routes of components that every replica of the version
     * on this agent hosts in its own process (calls to them never leave the process). A version whose replicas are
     * all one group, however many, so sends each host an empty table instead of every other host's endpoint.
     */
    static RoutingTable viewFor(RoutingTable table, @Nullable AssignmentSet set) {
        return viewFor(table, set, new HashMap<>());
    }

    /**
     * As {@link #viewFor(RoutingTable, AssignmentSet)}, sharing the views of one table between agents that need the
     * same.
     */
    static RoutingTable viewFor(RoutingTable table, @Nullable AssignmentSet set, Map<Set<String>, RoutingTable> views) {
        if (set == null) {
            return table;
        }
        @Nullable Set<String> local = null;
        for (Assignment a : set.getAssignmentsList()) {
            if (a.getApplication().equals(table.getApplication())
                    && a.getVersion().equals(table.getVersion())) {
                if (local == null) {
                    local = new HashSet<>(a.getComponentsList());
                } else {
                    local.retainAll(a.getComponentsList());
                }
            }
        }
        if (local == null || local.isEmpty()) {
            return table;
        }
        Set<String> omit = local;
        return views.computeIfAbsent(omit, k -> {
            RoutingTable.Builder view = RoutingTable.newBuilder()
                    .setApplication(table.getApplication())
                    .setVersion(table.getVersion())
                    .setGeneration(table.getGeneration());
            for (Route route : table.getRoutesList()) {
                if (!omit.contains(route.getComponent())) {
                    view.addRoutes(route);
                }
            }
            return view.build();
        });
    }

    /**
     * Brings an agent that just connected up to date: the tables of the versions it hosts, the splits of the
     * applications whose ingress it hosts, then what it must run. Agents connecting together are served together.
     */
    void sync(String agentId) {
        synchronized (lock) {
            boolean first = syncs.isEmpty();
            syncs.add(agentId);
            if (!first) {
                return;
            }
        }
        executor.execute(this::drainSyncs);
    }

    private void drainSyncs() {
        Set<String> agents;
        synchronized (lock) {
            agents = new TreeSet<>(syncs);
            syncs.clear();
        }
        if (agents.isEmpty()) {
            return;
        }
        try {
            Map<String, SetRow> sets = store.sets(agents);
            List<TableRow> tables = store.tablesHostedByAny(agents);
            List<SplitRow> splits = store.splitsHostedByAny(agents);
            // as read now: an older one still waiting in a batch is not sent after these
            tables.forEach(t -> sentTables.merge(t.versionId(), t.table().getGeneration(), Math::max));
            splits.forEach(t -> sentSplits.merge(t.applicationId(), t.split().getGeneration(), Math::max));
            List<Outgoing> outgoing = new ArrayList<>(agents.size());
            for (String agent : agents) {
                List<ControlMessage> out = new ArrayList<>();
                for (TableRow table : tables) {
                    if (table.hosts().contains(agent)) {
                        out.add(ControlMessage.newBuilder()
                                .setRoutingTable(table.table())
                                .build());
                    }
                }
                for (SplitRow split : splits) {
                    if (split.hosts().contains(agent)) {
                        out.add(ControlMessage.newBuilder()
                                .setTrafficSplit(split.split())
                                .build());
                    }
                }
                SetRow set = sets.get(agent);
                if (set != null) {
                    // a (re)connected agent gets its set whatever was sent to an earlier stream of it
                    sentGeneration.put(agent, set.set().getGeneration());
                    out.add(ControlMessage.newBuilder()
                            .setAssignments(set.set())
                            .build());
                }
                if (!out.isEmpty()) {
                    outgoing.add(new Outgoing(agent, out));
                }
            }
            sendAll(outgoing);
        } catch (RuntimeException e) {
            log.warn("Could not bring {} agent(s) up to date: {}", agents.size(), e.toString());
        }
    }

    /** The bus (re)connected: messages may have been missed, so every agent here is brought up to date. */
    void syncAll() {
        channels.connectedHere().forEach(this::sync);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
        senders.shutdownNow();
    }
}
