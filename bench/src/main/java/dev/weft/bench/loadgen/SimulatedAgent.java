package dev.weft.bench.loadgen;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentAck;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.Hello;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.ReplicaState;
import dev.weft.api.agent.v1.ReportAck;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.RunningReplica;
import dev.weft.api.agent.v1.TrafficSplit;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * One simulated agent: one bidirectional stream, a hello, then a load report per interval and a
 * heartbeat per heartbeat interval, sent by the generator's ticker thread. It applies what the control plane
 * assigns: on each AssignmentSet newer than the one it runs it "runs" those replicas (nothing is started; they are
 * reported RUNNING), acknowledges the generation at once and reports its replicas in a heartbeat; a listener hears
 * each set as it arrives (benchmarks time the pushes with it). Responses arrive on
 * the Netty event loop; the ack latency is the time from handing a report to gRPC to reading its ack.
 * A report is sent even when gRPC says the stream is not ready (it is buffered, as a real agent's would
 * be), so time spent waiting behind a slow control plane shows in the latency instead of being skipped.
 */
final class SimulatedAgent implements ClientResponseObserver<AgentMessage, ControlMessage> {

    final String id;
    private final LoadReport template;
    private final Stats stats;
    // reports sent and not yet answered, oldest first: acks and errors come back in order on one stream
    private final ArrayDeque<long[]> outstanding = new ArrayDeque<>();
    private @Nullable ClientCallStreamObserver<AgentMessage> requests;
    private volatile boolean welcomed;
    private volatile boolean ended;
    private volatile boolean closing;
    private volatile long reportIntervalNanos;
    private volatile long heartbeatIntervalNanos = 5_000_000_000L;
    private long nextReportNanos;
    private long nextHeartbeatNanos;
    private long sequence;
    private volatile List<RunningReplica> running = List.of();
    private volatile long applied;
    private volatile AssignmentListener listener = (agent, set, receivedNanos) -> {};
    private volatile Hello.@Nullable Builder helloTemplate;

    private volatile SplitListener splitListener = (agent, split, receivedNanos) -> {};

    /** Hears every TrafficSplit an agent receives, on the transport's thread: keep it short. */
    public interface SplitListener {
        void received(SimulatedAgent agent, TrafficSplit split, long receivedNanos);
    }

    public void onTrafficSplits(SplitListener listener) {
        this.splitListener = listener;
    }

    /** Hears every AssignmentSet an agent applies, on the transport's thread: keep it short. */
    public interface AssignmentListener {
        void applied(SimulatedAgent agent, AssignmentSet set, long receivedNanos);
    }

    /**
     * Reports synthetic load for what it runs instead of the template: {@code cores} per component of each running
     * replica, 128 MiB, 10 requests/s (no edges).
     */
    void syntheticLoad(double cores) {
        this.syntheticCores = cores;
    }

    private volatile double syntheticCores;

    private LoadReport base() {
        double cores = syntheticCores;
        if (cores <= 0) {
            return template;
        }
        LoadReport.Builder report = LoadReport.newBuilder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RunningReplica r : running) {
            for (String c : r.getComponentsList()) {
                if (seen.add(r.getApplication() + "/" + r.getVersion() + "/" + c)) {
                    report.addComponents(dev.weft.api.agent.v1.ComponentLoad.newBuilder()
                            .setApplication(r.getApplication())
                            .setVersion(r.getVersion())
                            .setComponent(c)
                            .setCpuCores(cores)
                            .setMemoryMib(128)
                            .setRequestsPerSecond(10));
                }
            }
        }
        return report.build();
    }

    void onAssignments(AssignmentListener listener) {
        this.listener = listener;
    }

    /** The hello to send instead of the load generator's (zone, labels, capacity). */
    void helloTemplate(Hello.Builder hello) {
        this.helloTemplate = hello;
    }

    /** The replicas it runs now. */
    List<RunningReplica> running() {
        return running;
    }

    long appliedGeneration() {
        return applied;
    }

    SimulatedAgent(String id, LoadReport template, long reportIntervalNanos, Stats stats) {
        this.id = id;
        this.template = template;
        this.reportIntervalNanos = reportIntervalNanos;
        this.stats = stats;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
        this.requests = requestStream;
    }

    void hello(String token) {
        Hello.@Nullable Builder template = helloTemplate;
        if (template != null) {
            send(AgentMessage.newBuilder()
                    .setHello(template.clone().setAgentId(id).setBootstrapToken(token))
                    .build());
            return;
        }
        send(AgentMessage.newBuilder()
                .setHello(Hello.newBuilder()
                        .setAgentId(id)
                        .setBootstrapToken(token)
                        .setAdvertisedAddress("127.0.0.1:1")
                        .setZone("zone-" + Math.floorMod(id.hashCode(), 3))
                        .setCapacity(
                                Resources.newBuilder().setCpuMillicores(8000).setMemoryMib(16384))
                        .addRuntimes("jvm")
                        .setAgentVersion("loadgen"))
                .build());
    }

    /** Called by the ticker: sends what is due. {@code firstReportNanos} spreads agents over the second. */
    void tick(long now, long firstReportNanos) {
        if (!welcomed || ended) {
            return;
        }
        if (nextReportNanos == 0) {
            nextReportNanos = firstReportNanos;
            nextHeartbeatNanos = now + heartbeatIntervalNanos;
        }
        ClientCallStreamObserver<AgentMessage> out = requests;
        if (out == null) {
            return;
        }
        if (now >= nextReportNanos) {
            nextReportNanos += reportIntervalNanos;
            if (nextReportNanos < now) {
                nextReportNanos = now + reportIntervalNanos; // never try to catch up in a burst
            }
            if (!out.isReady()) {
                stats.notReady.increment(); // sent anyway, and buffered by gRPC
            }
            LoadReport base = base();
            if (base.getComponentsCount() > 0 || base.getEdgesCount() > 0) {
                report(base);
            }
        }
        if (now >= nextHeartbeatNanos) {
            nextHeartbeatNanos = now + heartbeatIntervalNanos;
            heartbeat();
        }
    }

    private void report(LoadReport base) {
        long seq = ++sequence;
        {
            Instant at = Instant.now();
            LoadReport report = base.toBuilder()
                    .setSequence(seq)
                    .setInterval(Duration.newBuilder()
                            .setSeconds(reportIntervalNanos / 1_000_000_000L)
                            .setNanos((int) (reportIntervalNanos % 1_000_000_000L)))
                    .setObservedAt(Timestamp.newBuilder()
                            .setSeconds(at.getEpochSecond())
                            .setNanos(at.getNano()))
                    .build();
            synchronized (outstanding) {
                outstanding.addLast(new long[] {seq, System.nanoTime()});
            }
            send(AgentMessage.newBuilder().setLoadReport(report).build());
            stats.sent.increment();
        }
    }

    @Override
    public void onNext(ControlMessage message) {
        switch (message.getBodyCase()) {
            case WELCOME -> {
                Duration heartbeat = message.getWelcome().getHeartbeatInterval();
                if (heartbeat.getSeconds() > 0) {
                    heartbeatIntervalNanos = heartbeat.getSeconds() * 1_000_000_000L + heartbeat.getNanos();
                }
                stats.welcomed.increment();
                welcomed = true;
            }
            case REPORT_ACK -> {
                ReportAck ack = message.getReportAck();
                long sent = answered(ack.getSequence());
                if (sent != 0) {
                    stats.latencies.get().record(System.nanoTime() - sent);
                }
                switch (ack.getOutcome()) {
                    case OUTCOME_COALESCED -> stats.coalesced.increment();
                    case OUTCOME_PARTIAL -> stats.partial.increment();
                    case OUTCOME_OVERLAP -> stats.overlap.increment();
                    default -> stats.accepted.increment();
                }
            }
            case SLOW_DOWN -> {
                Duration interval = message.getSlowDown().getReportInterval();
                long nanos = interval.getSeconds() * 1_000_000_000L + interval.getNanos();
                if (nanos > 0) {
                    reportIntervalNanos = nanos;
                }
                stats.slowDowns.increment();
            }
            case ASSIGNMENTS -> apply(message.getAssignments());
            case TRAFFIC_SPLIT -> splitListener.received(this, message.getTrafficSplit(), System.nanoTime());
            case ERROR -> {
                answered(message.getError().getSequence());
                stats.errors.increment();
                stats.lastError.set(id + ": " + message.getError().getCodeName() + " "
                        + message.getError().getMessage());
            }
            default -> {}
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!closing) {
            stats.failed.increment();
            stats.lastError.set(id + ": " + t);
        }
        ended = true;
    }

    @Override
    public void onCompleted() {
        ended = true;
    }

    /** When the report with this sequence was sent (0 if unknown); forgets it and anything older. */
    private long answered(long seq) {
        synchronized (outstanding) {
            while (!outstanding.isEmpty() && outstanding.peekFirst()[0] < seq) {
                outstanding.pollFirst();
            }
            long[] head = outstanding.peekFirst();
            if (head != null && head[0] == seq) {
                outstanding.pollFirst();
                return head[1];
            }
            return 0;
        }
    }

    boolean welcomed() {
        return welcomed;
    }

    /** It was told to close (or stopped): it sends nothing more. */
    boolean closing() {
        return closing;
    }

    boolean ended() {
        return ended;
    }

    synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        ClientCallStreamObserver<AgentMessage> out = requests;
        if (out != null && !ended) {
            out.onCompleted();
        }
    }

    /** Runs what the set says, acks it and reports it; an older set than the one running is ignored. */
    private void apply(AssignmentSet set) {
        long receivedNanos = System.nanoTime();
        synchronized (this) {
            if (set.getGeneration() < applied) {
                return;
            }
            List<RunningReplica> next = new ArrayList<>(set.getAssignmentsCount());
            for (Assignment a : set.getAssignmentsList()) {
                next.add(RunningReplica.newBuilder()
                        .setAssignmentId(a.getAssignmentId())
                        .setApplication(a.getApplication())
                        .setVersion(a.getVersion())
                        .addAllComponents(a.getComponentsList())
                        .setState(ReplicaState.REPLICA_STATE_RUNNING)
                        .build());
            }
            running = List.copyOf(next);
            applied = set.getGeneration();
            send(AgentMessage.newBuilder()
                    .setAssignmentAck(AssignmentAck.newBuilder()
                            .setGeneration(set.getGeneration())
                            .setApplied(true))
                    .build());
            heartbeat();
        }
        stats.assignmentSets.increment();
        listener.applied(this, set, receivedNanos);
    }

    private void heartbeat() {
        send(AgentMessage.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder()
                        .setUsage(Resources.newBuilder().setCpuMillicores(1000).setMemoryMib(2048))
                        .addAllRunningReplicas(running)
                        .setAppliedGeneration(applied))
                .build());
    }

    /** gRPC's request stream takes one message at a time: the ticker and the transport's thread both send. */
    private synchronized void send(AgentMessage message) {
        ClientCallStreamObserver<AgentMessage> out = requests;
        if (out != null && !ended && !closing) {
            out.onNext(message);
            lastSentNanos = System.nanoTime();
        }
    }

    private volatile long lastSentNanos;

    /** When it last sent anything (its lease runs from the control plane's receipt of that). */
    long lastSentNanos() {
        return lastSentNanos;
    }

    /** Counters shared by all agents. */
    static final class Stats {
        final LongAdder welcomed = new LongAdder();
        final LongAdder sent = new LongAdder();
        final LongAdder notReady = new LongAdder();
        final LongAdder accepted = new LongAdder();
        final LongAdder coalesced = new LongAdder();
        final LongAdder partial = new LongAdder();
        final LongAdder overlap = new LongAdder();
        final LongAdder slowDowns = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder assignmentSets = new LongAdder();
        final AtomicReference<LatencyHistogram> latencies = new AtomicReference<>(new LatencyHistogram());
        final AtomicReference<String> lastError = new AtomicReference<>("");
    }
}
