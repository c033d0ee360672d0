package dev.weft.agent.node;

import dev.weft.agent.runtime.ReplicaConfig;
import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentAck;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.api.agent.v1.ReplicaState;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.api.agent.v1.RunningReplica;
import dev.weft.api.runtime.v1.DrainReplica;
import dev.weft.api.runtime.v1.HostedComponent;
import dev.weft.api.runtime.v1.ReplicaHello;
import dev.weft.api.runtime.v1.ReplicaRouting;
import dev.weft.api.runtime.v1.SupervisorMessage;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The reconciler: makes the agent's replicas match its latest AssignmentSet (start what is new, drain and stop
 * what is gone), restarts a replica that crashed with exponential backoff, acknowledges every generation it
 * applies, keeps the routing tables of the versions it runs and hands them to their replicas.
 */
final class Replicas implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Replicas.class.getName());

    /** One replica the agent runs. */
    final class Replica {
        final Assignment assignment;
        final String token = newToken();
        volatile ReplicaState state = ReplicaState.REPLICA_STATE_STARTING;
        volatile @Nullable String localAddress;
        volatile @Nullable StreamObserver<SupervisorMessage> link;
        volatile ReplicaLauncher.@Nullable Launched launched;
        volatile Set<String> httpIngress = Set.of();
        volatile boolean stopping;
        volatile CompletableFuture<Boolean> ready = new CompletableFuture<>();
        final CompletableFuture<Void> drained = new CompletableFuture<>();
        volatile @Nullable CompletableFuture<Void> drainAcknowledged;
        int restarts;
        Instant startedAt = Instant.EPOCH;

        Replica(Assignment assignment) {
            this.assignment = assignment;
        }

        String id() {
            return assignment.getAssignmentId();
        }

        synchronized void send(SupervisorMessage message) {
            StreamObserver<SupervisorMessage> l = link;
            if (l != null) {
                try {
                    l.onNext(message);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "replica link of {0} is gone", id());
                }
            }
        }
    }

    private final AgentConfig config;
    private final ReplicaLauncher launcher;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final LoadAggregator load;
    private final Consumer<AssignmentAck> acks;
    private final Runnable changed;
    private final ExecutorService reconciler = Executors.newSingleThreadExecutor(r -> new Thread(r, "weft-reconciler"));
    private final Map<String, Replica> replicas = new ConcurrentHashMap<>();
    private final Map<String, RoutingTable> tables = new ConcurrentHashMap<>();
    /** When each table arrived, in the order of pushed messages (tables and sets): see {@link #routing}. */
    private final Map<String, Long> tableArrivals = new ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.AtomicLong arrivals = new java.util.concurrent.atomic.AtomicLong();
    private volatile Set<String> versionsAssigned = Set.of();
    private volatile long appliedGeneration;
    private volatile long receivedGeneration = -1;
    private volatile String supervisorAddress = "";
    private volatile boolean closed;

    Replicas(
            AgentConfig config,
            ReplicaLauncher launcher,
            Clock clock,
            ScheduledExecutorService timer,
            LoadAggregator load,
            Consumer<AssignmentAck> acks,
            Runnable changed) {
        this.config = config;
        this.launcher = launcher;
        this.clock = clock;
        this.timer = timer;
        this.load = load;
        this.acks = acks;
        this.changed = changed;
    }

    void supervisorAddress(String address) {
        this.supervisorAddress = address;
    }

    long appliedGeneration() {
        return appliedGeneration;
    }

    @Nullable
    Replica get(String assignmentId) {
        return replicas.get(assignmentId);
    }

    List<Replica> all() {
        return List.copyOf(replicas.values());
    }

    /** The replicas as the heartbeat reports them. */
    List<RunningReplica> running() {
        List<RunningReplica> out = new ArrayList<>();
        for (Replica r : replicas.values()) {
            out.add(RunningReplica.newBuilder()
                    .setAssignmentId(r.id())
                    .setApplication(r.assignment.getApplication())
                    .setVersion(r.assignment.getVersion())
                    .addAllComponents(r.assignment.getComponentsList())
                    .setState(r.state)
                    .build());
        }
        out.sort(java.util.Comparator.comparing(RunningReplica::getAssignmentId));
        return out;
    }

    /** Takes a pushed set; it is applied in arrival order on the reconciler thread. */
    void apply(AssignmentSet set) {
        long arrival = arrivals.incrementAndGet();
        reconciler.execute(() -> reconcile(set, arrival));
    }

    private void reconcile(AssignmentSet set, long arrival) {
        if (closed) {
            return;
        }
        if (set.getGeneration() < appliedGeneration || set.getGeneration() < receivedGeneration) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "ignoring assignment generation {0}: generation {1} is newer",
                    set.getGeneration(),
                    Math.max(appliedGeneration, receivedGeneration));
            return;
        }
        receivedGeneration = set.getGeneration();
        Map<String, Assignment> desired = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Assignment a : set.getAssignmentsList()) {
            String problem = check(a);
            if (problem != null) {
                failed.add(a.getAssignmentId());
                reasons.add(a.getAssignmentId() + ": " + problem);
            } else if (desired.putIfAbsent(a.getAssignmentId(), a) != null) {
                failed.add(a.getAssignmentId());
                reasons.add(a.getAssignmentId() + ": listed twice");
            }
        }
        Set<String> versions = new TreeSet<>();
        desired.values().forEach(a -> versions.add(key(a.getApplication(), a.getVersion())));
        for (Replica existing : List.copyOf(replicas.values())) {
            Assignment wanted = desired.get(existing.id());
            if (wanted == null || !sameReplica(wanted, existing.assignment)) {
                stop(existing);
            }
        }
        versionsAssigned = Set.copyOf(versions);
        // tables of versions this set does not run go, except those that arrived after the set: the control plane
        // sends a version's table before the set that places it (api/README.md), so they belong to a later set
        tables.keySet().removeIf(k -> !versionsAssigned.contains(k) && tableArrivals.getOrDefault(k, 0L) < arrival);
        tableArrivals.keySet().retainAll(tables.keySet());
        List<Replica> starting = new ArrayList<>();
        for (Assignment a : desired.values()) {
            Replica present = replicas.get(a.getAssignmentId());
            if (present == null || present.stopping) {
                Replica replica = new Replica(a);
                replicas.put(a.getAssignmentId(), replica);
                load.attach(
                        replica.id(),
                        new LoadAggregator.Source(a.getApplication(), a.getVersion(), a.getComponentsList()));
                launch(replica);
                starting.add(replica);
            }
        }
        changed.run();
        for (Replica replica : starting) {
            boolean up;
            try {
                up = replica.ready.get(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                up = false;
                reasons.add(replica.id() + ": not ready within "
                        + config.startTimeout().toSeconds() + " s");
            } catch (java.util.concurrent.ExecutionException e) {
                up = false;
                reasons.add(replica.id() + ": "
                        + String.valueOf(e.getCause() == null ? e : e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!up) {
                failed.add(replica.id());
                if (reasons.stream().noneMatch(r -> r.startsWith(replica.id() + ":"))) {
                    reasons.add(replica.id() + ": exited before it was ready");
                }
            }
        }
        appliedGeneration = set.getGeneration();
        AssignmentAck.Builder ack = AssignmentAck.newBuilder()
                .setGeneration(set.getGeneration())
                .setApplied(failed.isEmpty())
                .addAllFailedAssignmentIds(failed);
        if (!failed.isEmpty()) {
            ack.setMessage(String.join("; ", reasons));
        }
        acks.accept(ack.build());
        changed.run();
    }

    private static boolean sameReplica(Assignment a, Assignment b) {
        return a.getApplication().equals(b.getApplication())
                && a.getVersion().equals(b.getVersion())
                && a.getComponentsList().equals(b.getComponentsList())
                && a.getArtifact().equals(b.getArtifact());
    }

    private static @Nullable String check(Assignment a) {
        if (a.getAssignmentId().isEmpty()) {
            return "assignment_id is empty";
        }
        if (a.getApplication().isEmpty() || a.getVersion().isEmpty()) {
            return "application and version are required";
        }
        if (a.getComponentsCount() == 0) {
            return "no components";
        }
        try {
            Artifact.parse(a.getArtifact());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    private void launch(Replica replica) {
        Assignment a = replica.assignment;
        ReplicaConfig rc = new ReplicaConfig(
                a.getAssignmentId(),
                a.getApplication(),
                a.getVersion(),
                a.getComponentsList(),
                supervisorAddress,
                replica.token,
                config.callDeadline().toMillis(),
                !(launcher instanceof ClassLoaderLauncher));
        replica.state = ReplicaState.REPLICA_STATE_STARTING;
        replica.startedAt = clock.instant();
        try {
            ReplicaLauncher.Launched launched = launcher.launch(
                    Artifact.parse(a.getArtifact()),
                    rc.toArgs(),
                    a.getResources().getMemoryMib(),
                    a.getAssignmentId());
            replica.launched = launched;
            launched.exit().whenComplete((code, error) -> exited(replica, launched, code == null ? -1 : code));
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "replica {0} could not be started: {1}", replica.id(), e.toString());
            replica.state = ReplicaState.REPLICA_STATE_FAILED;
            replica.ready.completeExceptionally(
                    new IllegalStateException("could not be started: " + e.getMessage(), e));
            scheduleRestart(replica);
        }
    }

    private void exited(Replica replica, ReplicaLauncher.Launched launched, int code) {
        if (replica.launched != launched) {
            return;
        }
        replica.link = null;
        replica.localAddress = null;
        if (replica.stopping || closed) {
            replicas.remove(replica.id(), replica);
            load.detach(replica.id());
            replica.drained.complete(null);
            pushRouting(replica.assignment.getApplication(), replica.assignment.getVersion());
            changed.run();
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "replica {0} exited with code {1}; restarting", replica.id(), code);
        replica.state = ReplicaState.REPLICA_STATE_FAILED;
        replica.ready.complete(false);
        pushRouting(replica.assignment.getApplication(), replica.assignment.getVersion());
        changed.run();
        scheduleRestart(replica);
    }

    /** Backoff after a crash: 1 s doubling to 60 s; a replica that ran for a minute starts again from 1 s. */
    Duration backoff(Replica replica) {
        if (Duration.between(replica.startedAt, clock.instant()).compareTo(Duration.ofMinutes(1)) >= 0) {
            replica.restarts = 0;
        }
        long millis = config.restartBackoff().toMillis() << Math.min(6, replica.restarts);
        replica.restarts++;
        return Duration.ofMillis(Math.min(millis, config.maxRestartBackoff().toMillis()));
    }

    private void scheduleRestart(Replica replica) {
        Duration delay = backoff(replica);
        timer.schedule(
                () -> {
                    if (!closed && !replica.stopping && replicas.get(replica.id()) == replica) {
                        replica.ready = new CompletableFuture<>();
                        launch(replica);
                        changed.run();
                    }
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Drains a replica (new calls refused, in-flight ones finish), then stops it. */
    CompletableFuture<Void> stop(Replica replica) {
        if (replica.stopping) {
            return replica.drained;
        }
        replica.stopping = true;
        replica.state = ReplicaState.REPLICA_STATE_STOPPING;
        changed.run();
        ReplicaLauncher.Launched launched = replica.launched;
        if (launched == null) {
            replicas.remove(replica.id(), replica);
            load.detach(replica.id());
            replica.drained.complete(null);
            changed.run();
            return replica.drained;
        }
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        replica.send(SupervisorMessage.newBuilder()
                .setDrain(DrainReplica.newBuilder()
                        .setTimeoutMillis((int) config.drainTimeout().toMillis()))
                .build());
        if (replica.link == null) {
            acknowledged.complete(null);
        }
        replica.drainAcknowledged = acknowledged;
        acknowledged
                .completeOnTimeout(null, config.drainTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)
                .thenRunAsync(() -> launched.stop(Duration.ofSeconds(5)));
        return replica.drained;
    }

    /** A replica said hello over the supervisor link. */
    @Nullable
    Replica attach(ReplicaHello hello, StreamObserver<SupervisorMessage> link) {
        Replica replica = replicas.get(hello.getAssignmentId());
        if (replica == null
                || !java.security.MessageDigest.isEqual(
                        replica.token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        hello.getToken().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return null;
        }
        Set<String> ingress = new TreeSet<>();
        for (HostedComponent c : hello.getComponentsList()) {
            if (c.getHttpIngress()) {
                ingress.add(c.getName());
            }
        }
        replica.httpIngress = Set.copyOf(ingress);
        replica.link = link;
        replica.localAddress = hello.getAddress();
        if (!replica.stopping) {
            replica.state = ReplicaState.REPLICA_STATE_RUNNING;
        }
        pushRouting(replica.assignment.getApplication(), replica.assignment.getVersion());
        replica.ready.complete(true);
        changed.run();
        return replica;
    }

    void drained(Replica replica) {
        CompletableFuture<Void> acknowledged = replica.drainAcknowledged;
        if (acknowledged != null) {
            acknowledged.complete(null);
        }
    }

    void detached(Replica replica, StreamObserver<SupervisorMessage> link) {
        if (replica.link == link) {
            replica.link = null;
            replica.localAddress = null;
        }
    }

    /**
     * Takes a routing table; an older generation is ignored (false). A table of a version no set has assigned yet
     * is kept too: the control plane sends the tables a set needs before the set itself, so the set that places the
     * version follows it; the next set that does not run the version drops it.
     */
    boolean routing(RoutingTable table) {
        String key = key(table.getApplication(), table.getVersion());
        RoutingTable current = tables.get(key);
        if (current != null && current.getGeneration() > table.getGeneration()) {
            return false;
        }
        tables.put(key, table);
        tableArrivals.put(key, arrivals.incrementAndGet());
        pushRouting(table.getApplication(), table.getVersion());
        return true;
    }

    @Nullable
    RoutingTable table(String application, String version) {
        return tables.get(key(application, version));
    }

    /** Assignment id to local address of the running replicas. */
    Map<String, String> localAddresses() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Replica r : replicas.values()) {
            String address = r.localAddress;
            if (address != null && r.state == ReplicaState.REPLICA_STATE_RUNNING) {
                out.put(r.id(), address);
            }
        }
        return out;
    }

    private void pushRouting(String application, String version) {
        RoutingTable table = tables.get(key(application, version));
        if (table == null) {
            return;
        }
        SupervisorMessage message = SupervisorMessage.newBuilder()
                .setRouting(ReplicaRouting.newBuilder()
                        .setTable(table)
                        .putAllLocalAddresses(localAddresses())
                        .setAgentAddress(config.advertisedAddress()))
                .build();
        for (Replica r : replicas.values()) {
            if (r.assignment.getApplication().equals(application)
                    && r.assignment.getVersion().equals(version)) {
                r.send(message);
            }
        }
    }

    private static String key(String application, String version) {
        return application + "\u0000" + version;
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Drains and stops every replica, waiting at most the drain timeout plus the stop grace. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Replica r : List.copyOf(replicas.values())) {
            stops.add(stop(r));
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(config.drainTimeout().toMillis() + 8000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "not every replica stopped in time: {0}", e.toString());
        }
        closed = true;
        for (Replica r : List.copyOf(replicas.values())) {
            ReplicaLauncher.Launched launched = r.launched;
            if (launched != null) {
                launched.stop(Duration.ZERO);
            }
        }
        reconciler.shutdownNow();
    }
}
