package dev.weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.AgentServiceGrpc;
import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentAck;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.Hello;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.ReplicaState;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.api.agent.v1.RunningReplica;
import dev.weft.api.agent.v1.TrafficSplit;
import dev.weft.api.agent.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A small agent speaking the real protocol over a real socket that does what an agent must with assignments: on
 * each AssignmentSet newer than the one it applied it "starts" the replicas (nothing runs; the replica just counts
 * as RUNNING, or STARTING while {@link #holdStarting} is set), acknowledges the generation, and reports its replicas
 * in a heartbeat. Components listed in {@link #failToStart} fail instead. It keeps every control message in arrival
 * order, so tests check what was pushed and in which order. Waits are bounded and end on a condition, never a sleep.
 */
public final class LoopAgent implements AutoCloseable {

    public static final long WAIT_SECONDS = 10;

    public final String id;
    private final ManagedChannel channel;
    private final Hello.Builder hello;
    private final List<ControlMessage> received = new CopyOnWriteArrayList<>();
    private final Map<String, RoutingTable> tables = new ConcurrentHashMap<>();
    private final Map<String, TrafficSplit> splits = new ConcurrentHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private volatile List<RunningReplica> running = List.of();
    private volatile AssignmentSet current = AssignmentSet.getDefaultInstance();
    private volatile CompletableFuture<Status> closed = new CompletableFuture<>();
    private volatile Welcome welcome = Welcome.getDefaultInstance();
    private volatile StreamObserver<AgentMessage> out;
    private final Set<String> failToStart = ConcurrentHashMap.newKeySet();
    private volatile boolean holdStarting;
    private final AtomicLong sequence = new AtomicLong();

    public LoopAgent(
            ManagedChannel channel, String id, String zone, Map<String, String> labels, int cpuMillis, int memoryMiB) {
        this(channel, LoopIntegrationTest.TOKEN, id, zone, labels, cpuMillis, memoryMiB);
    }

    /** An agent presenting {@code token} (a control plane other than the loop tests' own, say). */
    public LoopAgent(
            ManagedChannel channel,
            String token,
            String id,
            String zone,
            Map<String, String> labels,
            int cpuMillis,
            int memoryMiB) {
        this.id = id;
        this.channel = channel;
        this.hello = Hello.newBuilder()
                .setAgentId(id)
                .setBootstrapToken(token)
                .setAdvertisedAddress(id + ".test:7000")
                .setZone(zone)
                .putAllLabels(labels)
                .setCapacity(Resources.newBuilder().setCpuMillicores(cpuMillis).setMemoryMib(memoryMiB))
                .addRuntimes("jvm")
                .setAgentVersion("loop-agent 1");
        this.out = open();
    }

    private StreamObserver<AgentMessage> open() {
        CompletableFuture<Status> ended = new CompletableFuture<>();
        closed = ended;
        return AgentServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(ControlMessage message) {
                received.add(message);
                switch (message.getBodyCase()) {
                    case WELCOME -> welcome = message.getWelcome();
                    case ASSIGNMENTS -> apply(message.getAssignments());
                    case ROUTING_TABLE -> {
                        RoutingTable t = message.getRoutingTable();
                        tables.merge(
                                t.getApplication() + "/" + t.getVersion(),
                                t,
                                (a, b) -> b.getGeneration() >= a.getGeneration() ? b : a);
                    }
                    case TRAFFIC_SPLIT ->
                        splits.merge(
                                message.getTrafficSplit().getApplication(),
                                message.getTrafficSplit(),
                                (a, b) -> b.getGeneration() >= a.getGeneration() ? b : a);
                    default -> {}
                }
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        });
    }

    /** Says hello with the bootstrap token and waits for the welcome. */
    public LoopAgent register() {
        send(AgentMessage.newBuilder().setHello(hello).build());
        await("welcome of " + id, () -> welcome.hasLease());
        return this;
    }

    /** A new stream, as after a dropped connection: hello with the session credential and what it runs. */
    public LoopAgent reconnect() {
        closeStream();
        Welcome previous = welcome;
        welcome = Welcome.getDefaultInstance();
        out = open();
        send(AgentMessage.newBuilder()
                .setHello(hello.clone()
                        .clearBootstrapToken()
                        .setSessionCredential(previous.getSessionCredential())
                        .clearRunningReplicas()
                        .addAllRunningReplicas(running)
                        .setAppliedGeneration(applied.get()))
                .build());
        await("welcome of " + id + " after reconnecting", () -> welcome.hasLease());
        return this;
    }

    private synchronized void apply(AssignmentSet set) {
        if (set.getGeneration() < applied.get()) {
            return; // older than what runs: ignored, as the protocol says
        }
        current = set;
        List<RunningReplica> next = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Assignment a : set.getAssignmentsList()) {
            boolean fails = a.getComponentsList().stream().anyMatch(failToStart::contains);
            if (fails) {
                failed.add(a.getAssignmentId());
                continue;
            }
            next.add(RunningReplica.newBuilder()
                    .setAssignmentId(a.getAssignmentId())
                    .setApplication(a.getApplication())
                    .setVersion(a.getVersion())
                    .addAllComponents(a.getComponentsList())
                    .setState(holdStarting ? ReplicaState.REPLICA_STATE_STARTING : ReplicaState.REPLICA_STATE_RUNNING)
                    .build());
        }
        running = List.copyOf(next);
        applied.set(set.getGeneration());
        send(AgentMessage.newBuilder()
                .setAssignmentAck(AssignmentAck.newBuilder()
                        .setGeneration(set.getGeneration())
                        .setApplied(failed.isEmpty())
                        .setMessage(failed.isEmpty() ? "" : "could not start " + failed)
                        .addAllFailedAssignmentIds(failed))
                .build());
        heartbeat();
    }

    /** Reports what it runs (and renews its lease). */
    public LoopAgent heartbeat() {
        return send(AgentMessage.newBuilder()
                .setHeartbeat(
                        Heartbeat.newBuilder().addAllRunningReplicas(running).setAppliedGeneration(applied.get()))
                .build());
    }

    /** Replicas report STARTING instead of RUNNING until {@link #releaseStarting()}. */
    public LoopAgent holdStarting() {
        holdStarting = true;
        return this;
    }

    /** Every replica it runs reports RUNNING from now on. */
    public synchronized LoopAgent releaseStarting() {
        holdStarting = false;
        running = running.stream()
                .map(r -> r.toBuilder()
                        .setState(ReplicaState.REPLICA_STATE_RUNNING)
                        .build())
                .toList();
        return heartbeat();
    }

    /** Replicas hosting this component fail to start here. */
    public LoopAgent failToStart(String component) {
        failToStart.add(component);
        return this;
    }

    /**
     * Load of components and edges of one version over {@code seconds}: cores per component, calls/s per edge. Waits
     * for the answer, so the report is counted at the clock time it was sent at.
     */
    public LoopAgent report(
            String application,
            String version,
            Map<String, Double> cores,
            Map<List<String>, Double> calls,
            int seconds) {
        LoadReport.Builder report = LoadReport.newBuilder()
                .setSequence(sequence.incrementAndGet())
                .setObservedAt(Timestamp.newBuilder().setSeconds(2_000_000_000L))
                .setInterval(Duration.newBuilder().setSeconds(seconds));
        cores.forEach((component, c) -> report.addComponents(ComponentLoad.newBuilder()
                .setApplication(application)
                .setVersion(version)
                .setComponent(component)
                .setCpuCores(c)
                .setMemoryMib(256)
                .setRequestsPerSecond(10)));
        calls.forEach((edge, rate) -> report.addEdges(EdgeLoad.newBuilder()
                .setApplication(application)
                .setCallerVersion(version)
                .setCalleeVersion(version)
                .setCaller(edge.get(0))
                .setCallee(edge.get(1))
                .setCallsPerSecond(rate)
                .setBytesPerSecond(rate * 500)
                .setLatencyP50Ms(1)
                .setLatencyP99Ms(5)));
        long sent = report.getSequence();
        send(AgentMessage.newBuilder().setLoadReport(report).build());
        await(
                id + " got the answer to report " + sent,
                () -> received.stream()
                        .anyMatch(m -> (m.hasReportAck() && m.getReportAck().getSequence() == sent)
                                || (m.hasError() && m.getError().getSequence() == sent)));
        return this;
    }

    public synchronized LoopAgent send(AgentMessage message) {
        out.onNext(message);
        return this;
    }

    /** The latest AssignmentSet it applied. */
    public AssignmentSet assignments() {
        return current;
    }

    public long appliedGeneration() {
        return applied.get();
    }

    public List<RunningReplica> running() {
        return running;
    }

    public Set<String> assignmentIds() {
        Set<String> ids = new HashSet<>();
        current.getAssignmentsList().forEach(a -> ids.add(a.getAssignmentId()));
        return ids;
    }

    public RoutingTable routingTable(String application, String version) {
        return tables.get(application + "/" + version);
    }

    public boolean hasRoutingTable(String application, String version) {
        return tables.containsKey(application + "/" + version);
    }

    public TrafficSplit trafficSplit(String application) {
        return splits.get(application);
    }

    /** Every control message in arrival order. */
    public List<ControlMessage> received() {
        return List.copyOf(received);
    }

    /** Waits until the latest applied set satisfies the condition. */
    public AssignmentSet awaitAssignments(String what, Predicate<AssignmentSet> condition) {
        await(id + ": " + what, () -> condition.test(current));
        return current;
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    public Status closedWith() {
        try {
            return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("stream of " + id + " did not end within " + WAIT_SECONDS + " s", e);
        }
    }

    /** Waits (at most 10 s, polling every 5 ms) until the condition holds. */
    public static void await(String what, BooleanSupplier condition) {
        await(() -> what, condition);
    }

    /** Waits as {@link #await(String, BooleanSupplier)}; the description is computed when it times out. */
    public static void await(java.util.function.Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
    }

    /** The stream ends as a crashed agent's would (no Leave); the lease runs on. */
    public void closeStream() {
        if (!closed.isDone()) {
            try {
                out.onError(Status.CANCELLED.withDescription("agent went away").asRuntimeException());
            } catch (RuntimeException ignored) {
                // already ended
            }
        }
        await("stream of " + id + " ended", () -> closed.isDone());
    }

    @Override
    public void close() {
        closeStream();
    }

    /** Asserts the agent got no message of a kind. */
    public void assertNever(ControlMessage.BodyCase kind) {
        assertThat(received.stream().filter(m -> m.getBodyCase() == kind).toList())
                .as(id + " received " + kind)
                .isEmpty();
    }
}
