package dev.weft.agent.node;

import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.AgentServiceGrpc;
import dev.weft.api.agent.v1.AssignmentAck;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.Hello;
import dev.weft.api.agent.v1.LeaveRequest;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.Violation;
import dev.weft.api.agent.v1.ViolationReport;
import dev.weft.api.agent.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The agent's session with the control plane (weft.agent.v1, api/README.md): hello with the bootstrap token or
 * the session credential, heartbeats at the welcome's interval, a load report per report interval (as SlowDown
 * last said), violation reports, assignment acks; pushes handed to the agent; reconnection with exponential
 * backoff and jitter; Leave on shutdown.
 */
final class ControlPlaneLink implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ControlPlaneLink.class.getName());

    /** What the agent does with pushes, and what it tells the control plane. */
    interface Agent {
        Hello.Builder hello();

        Heartbeat heartbeat();

        LoadReport report(long sequence, Instant observedAt, Duration interval);

        List<Violation> violations();

        void onControl(ControlMessage message);
    }

    private final AgentConfig config;
    private final Agent agent;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final RandomGenerator random;
    private final ManagedChannel channel;
    private final Object lock = new Object();
    private @Nullable StreamObserver<AgentMessage> stream;
    private @Nullable String sessionCredential;
    private @Nullable ScheduledFuture<?> heartbeats;
    private @Nullable ScheduledFuture<?> reports;
    private Duration reportInterval = Duration.ofSeconds(10);
    private Duration heartbeatInterval = Duration.ofSeconds(5);
    private int maxMessageBytes = 4 * 1024 * 1024;
    private long sequence;
    private long violationSequence;
    private Instant lastReport = Instant.EPOCH;
    private int failures;
    private volatile boolean closed;
    private volatile boolean revoked;
    private volatile boolean released;
    private volatile @Nullable Welcome welcome;
    private final Consumer<String> events;

    ControlPlaneLink(
            AgentConfig config,
            Agent agent,
            Clock clock,
            ScheduledExecutorService timer,
            RandomGenerator random,
            Consumer<String> events) {
        this.config = config;
        this.agent = agent;
        this.clock = clock;
        this.timer = timer;
        this.random = random;
        this.events = events;
        this.channel = NettyChannelBuilder.forTarget(config.controlPlane())
                .usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
    }

    /** The latest welcome, or null before the first one. */
    @Nullable
    Welcome welcome() {
        return welcome;
    }

    boolean revoked() {
        return revoked;
    }

    boolean released() {
        return released;
    }

    void connect() {
        synchronized (lock) {
            if (closed || revoked) {
                return;
            }
            StreamObserver<AgentMessage> s = AgentServiceGrpc.newStub(channel).connect(new Responses());
            stream = s;
            Hello.Builder hello = agent.hello();
            String credential = sessionCredential;
            if (credential != null) {
                hello.setSessionCredential(credential);
            } else {
                hello.setBootstrapToken(config.bootstrapToken());
            }
            s.onNext(AgentMessage.newBuilder().setHello(hello).build());
            events.accept("hello");
        }
    }

    private final class Responses implements StreamObserver<ControlMessage> {
        @Override
        public void onNext(ControlMessage message) {
            switch (message.getBodyCase()) {
                case WELCOME -> welcomed(message.getWelcome());
                case SLOW_DOWN -> {
                    Duration interval = duration(message.getSlowDown().getReportInterval());
                    LOG.log(
                            System.Logger.Level.INFO,
                            "control plane asks for reports every {0}: {1}",
                            interval,
                            message.getSlowDown().getReason());
                    synchronized (lock) {
                        if (!interval.isZero() && !interval.isNegative()) {
                            reportInterval = interval;
                            scheduleReports();
                        }
                    }
                    events.accept("slow_down");
                }
                case ERROR ->
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "control plane refused a message: {0} {1} (sequence {2})",
                            message.getError().getCodeName(),
                            message.getError().getMessage(),
                            message.getError().getSequence());
                case REPORT_ACK -> {}
                case DRAIN -> {
                    if (message.getDrain().getReleased()) {
                        released = true;
                    }
                    agent.onControl(message);
                }
                case ASSIGNMENTS, ROUTING_TABLE, TRAFFIC_SPLIT -> agent.onControl(message);
                case BODY_NOT_SET -> {} // a body this agent does not know: ignored
            }
        }

        @Override
        public void onError(Throwable t) {
            Status status = Status.fromThrowable(t);
            ended(status);
        }

        @Override
        public void onCompleted() {
            ended(Status.OK);
        }
    }

    private void welcomed(Welcome w) {
        synchronized (lock) {
            welcome = w;
            sessionCredential = w.getSessionCredential();
            failures = 0;
            Duration hb = duration(w.getHeartbeatInterval());
            Duration ri = duration(w.getReportInterval());
            heartbeatInterval = hb.isZero() ? Duration.ofSeconds(5) : hb;
            reportInterval = ri.isZero() ? Duration.ofSeconds(10) : ri;
            maxMessageBytes = w.getMaxMessageBytes() == 0 ? maxMessageBytes : w.getMaxMessageBytes();
            sequence = 0;
            violationSequence = 0;
            lastReport = clock.instant();
            cancelTimers();
            heartbeats =
                    timer.scheduleAtFixedRate(this::heartbeat, 0, heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
            scheduleReports();
        }
        events.accept("welcome");
        LOG.log(
                System.Logger.Level.INFO,
                "connected to the control plane as {0} (resumed: {1}, lease {2})",
                w.getAgentId(),
                w.getResumed(),
                duration(w.getLease()));
    }

    private void scheduleReports() {
        ScheduledFuture<?> r = reports;
        if (r != null) {
            r.cancel(false);
        }
        reports = timer.scheduleAtFixedRate(
                this::report, reportInterval.toMillis(), reportInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelTimers() {
        ScheduledFuture<?> h = heartbeats;
        if (h != null) {
            h.cancel(false);
        }
        ScheduledFuture<?> r = reports;
        if (r != null) {
            r.cancel(false);
        }
        heartbeats = null;
        reports = null;
    }

    private void ended(Status status) {
        synchronized (lock) {
            stream = null;
            welcome = null;
            cancelTimers();
            if (closed) {
                return;
            }
            switch (status.getCode()) {
                case PERMISSION_DENIED -> {
                    revoked = true;
                    LOG.log(System.Logger.Level.ERROR, "the control plane revoked this agent: {0}", status);
                    events.accept("revoked");
                    return;
                }
                case UNAUTHENTICATED -> sessionCredential = null; // start over with the bootstrap token
                case OK -> {
                    if (released) {
                        LOG.log(System.Logger.Level.INFO, "drained and released by the control plane");
                        events.accept("released");
                        return;
                    }
                }
                default -> {}
            }
            long base = config.reconnectBackoff().toMillis() << Math.min(10, failures);
            long capped = Math.min(base, config.maxReconnectBackoff().toMillis());
            long delay = (long) (capped * (0.8 + 0.4 * random.nextDouble()));
            failures++;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "control plane stream ended ({0}); reconnecting in {1} ms",
                    status,
                    delay);
            events.accept("ended " + status.getCode());
            timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends a heartbeat now (also when the replicas changed). */
    void heartbeat() {
        send(AgentMessage.newBuilder().setHeartbeat(agent.heartbeat()).build());
    }

    void ack(AssignmentAck ack) {
        send(AgentMessage.newBuilder().setAssignmentAck(ack).build());
    }

    private void report() {
        try {
            Instant now = clock.instant();
            Duration interval;
            long seq;
            synchronized (lock) {
                if (stream == null) {
                    return;
                }
                interval = Duration.between(lastReport, now);
                if (interval.isNegative() || interval.isZero()) {
                    return;
                }
                interval = interval.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : interval;
                lastReport = now;
                seq = ++sequence;
            }
            LoadReport report = agent.report(seq, now, interval);
            if (report.getComponentsCount() > 0 || report.getEdgesCount() > 0) {
                if (report.getSerializedSize() > maxMessageBytes) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "load report of {0} bytes is above the control plane's limit;" + " dropped",
                            report.getSerializedSize());
                } else {
                    send(AgentMessage.newBuilder().setLoadReport(report).build());
                }
            }
            List<Violation> violations = agent.violations();
            if (!violations.isEmpty()) {
                long vseq;
                synchronized (lock) {
                    vseq = ++violationSequence;
                }
                send(AgentMessage.newBuilder()
                        .setViolationReport(
                                ViolationReport.newBuilder().setSequence(vseq).addAllViolations(violations))
                        .build());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "load report failed", e);
        }
    }

    private void send(AgentMessage message) {
        synchronized (lock) {
            StreamObserver<AgentMessage> s = stream;
            if (s == null) {
                return;
            }
            try {
                s.onNext(message);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "send failed: {0}", e.toString());
            }
        }
    }

    static Duration duration(com.google.protobuf.Duration d) {
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    /** Says goodbye (Leave) and closes the stream. */
    @Override
    public void close() {
        String credential;
        synchronized (lock) {
            closed = true;
            cancelTimers();
            credential = sessionCredential;
        }
        if (credential != null && !revoked) {
            try {
                AgentServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .leave(LeaveRequest.newBuilder()
                                .setAgentId(config.agentId())
                                .setSessionCredential(credential)
                                .setReason("agent shutting down")
                                .build());
                events.accept("left");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Leave failed: {0}", e.toString());
            }
        }
        synchronized (lock) {
            StreamObserver<AgentMessage> s = stream;
            stream = null;
            if (s != null) {
                try {
                    s.onCompleted();
                } catch (RuntimeException e) {
                    // already gone
                }
            }
        }
        channel.shutdownNow();
    }

    static Resources resources(int cpu, int mem) {
        return Resources.newBuilder().setCpuMillicores(cpu).setMemoryMib(mem).build();
    }
}
