package dev.weft.agent.node;

import dev.weft.agent.runtime.ChannelPool;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.Hello;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.TrafficSplit;
import dev.weft.api.agent.v1.Violation;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A Weft agent: serves ComponentService on its advertised address (forwarding to its replicas), runs the
 * supervisor for its replicas on 127.0.0.1, holds its session with the control plane, reconciles its replicas
 * with the pushed assignments, reports their load, and serves the HTTP ingress of the applications it is told to.
 */
public final class Agent implements AutoCloseable {

    /** The agent's software version, in its hello. */
    public static final String VERSION = "weft-agent 0.1.0";

    private static final System.Logger LOG = System.getLogger(Agent.class.getName());

    private final AgentConfig config;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final LoadAggregator load;
    private final Replicas replicas;
    private final ChannelPool channels = new ChannelPool();
    private final Server publicServer;
    private final Server supervisorServer;
    private final ControlPlaneLink link;
    private final Map<String, Ingress> ingresses = new ConcurrentHashMap<>();
    private final AtomicBoolean heartbeatPending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    public static Agent start(AgentConfig config) throws IOException {
        return new Agent(config, Clock.systemUTC(), event -> {});
    }

    /** Starts an agent; {@code events} hears about its session (hello, welcome, ended, left) for tests and logs. */
    public static Agent start(AgentConfig config, Clock clock, Consumer<String> events) throws IOException {
        return new Agent(config, clock, events);
    }

    private Agent(AgentConfig given, Clock clock, Consumer<String> events) throws IOException {
        this.clock = clock;
        this.timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "weft-agent-timer");
            t.setDaemon(true);
            return t;
        });
        this.load = new LoadAggregator(clock);
        Replicas[] holder = new Replicas[1];
        Forwarder[] forwarder = new Forwarder[1];
        ForwardingService forwarding = new ForwardingService(() -> forwarder[0]);
        this.publicServer = NettyServerBuilder.forPort(given.listenPort())
                .addService(forwarding)
                .maxInboundMessageSize(ChannelPool.MAX_MESSAGE_BYTES)
                .build()
                .start();
        AgentConfig config = given.advertisedAddress().isEmpty()
                ? given.withAdvertisedAddress("127.0.0.1:" + publicServer.getPort())
                : given;
        this.config = config;
        ReplicaLauncher launcher = switch (config.replicaMode()) {
            case PROCESS ->
                new ProcessLauncher(ProcessLauncher.currentJava(), config.jvmOptions(), config.logDirectory());
            case CLASSLOADER -> new ClassLoaderLauncher();
        };
        ControlPlaneLink[] linkHolder = new ControlPlaneLink[1];
        this.replicas =
                new Replicas(config, launcher, clock, timer, load, ack -> linkHolder[0].ack(ack), this::changed);
        holder[0] = replicas;
        forwarder[0] = new Forwarder(replicas, load, channels, clock);
        this.supervisorServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new SupervisorService(replicas, load))
                .build()
                .start();
        replicas.supervisorAddress("127.0.0.1:" + supervisorServer.getPort());
        SplittableRandom random = new SplittableRandom(config.seed());
        for (Map.Entry<String, Integer> e : config.ingress().entrySet()) {
            ingresses.put(
                    e.getKey(), new Ingress(e.getKey(), e.getValue(), config, replicas, channels, random.split()));
        }
        this.link = new ControlPlaneLink(config, new Session(), clock, timer, random.split(), events);
        linkHolder[0] = link;
        link.connect();
        LOG.log(
                System.Logger.Level.INFO,
                "agent {0} serves components on {1}, control plane {2}",
                config.agentId(),
                config.advertisedAddress(),
                config.controlPlane());
    }

    /** The configuration in force (with the advertised address filled in). */
    public AgentConfig config() {
        return config;
    }

    /** Port of the agent's ComponentService. */
    public int port() {
        return publicServer.getPort();
    }

    /** HTTP port of an application's ingress on this agent, if it serves one. */
    public @Nullable Integer ingressPort(String application) {
        Ingress ingress = ingresses.get(application);
        return ingress == null ? null : ingress.port();
    }

    /** Assignment ids and states of the replicas, as the next heartbeat reports them. */
    public List<dev.weft.api.agent.v1.RunningReplica> runningReplicas() {
        return replicas.running();
    }

    /** Process id of a replica's process, or null if it is not running. */
    public @Nullable Long replicaPid(String assignmentId) {
        Replicas.Replica r = replicas.get(assignmentId);
        ReplicaLauncher.Launched launched = r == null ? null : r.launched;
        return launched == null ? null : launched.pid();
    }

    /** Calls in flight in a replica, as it last reported (every second). */
    public int replicaInFlight(String assignmentId) {
        return load.inFlight(assignmentId);
    }

    public boolean revoked() {
        return link.revoked();
    }

    private void changed() {
        // coalesce bursts of replica changes into one heartbeat
        if (heartbeatPending.compareAndSet(false, true)) {
            timer.schedule(
                    () -> {
                        heartbeatPending.set(false);
                        link.heartbeat();
                    },
                    50,
                    TimeUnit.MILLISECONDS);
        }
    }

    private final class Session implements ControlPlaneLink.Agent {
        @Override
        public Hello.Builder hello() {
            return Hello.newBuilder()
                    .setAgentId(config.agentId())
                    .setAdvertisedAddress(config.advertisedAddress())
                    .setZone(config.zone())
                    .putAllLabels(config.labels())
                    .setCapacity(Resources.newBuilder()
                            .setCpuMillicores(config.cpuMillicores())
                            .setMemoryMib(config.memoryMib()))
                    .addRuntimes("jvm")
                    .addAllRunningReplicas(replicas.running())
                    .setAppliedGeneration(replicas.appliedGeneration())
                    .setAgentVersion(VERSION);
        }

        @Override
        public Heartbeat heartbeat() {
            return Heartbeat.newBuilder()
                    .setUsage(load.usage(load.lastCpuCores()))
                    .addAllRunningReplicas(replicas.running())
                    .setAppliedGeneration(replicas.appliedGeneration())
                    .build();
        }

        @Override
        public LoadReport report(long sequence, Instant observedAt, Duration interval) {
            return load.drain(sequence, observedAt, interval);
        }

        @Override
        public List<Violation> violations() {
            return load.drainViolations();
        }

        @Override
        public void onControl(ControlMessage message) {
            switch (message.getBodyCase()) {
                case ASSIGNMENTS -> replicas.apply(message.getAssignments());
                case ROUTING_TABLE -> {
                    if (!replicas.routing(message.getRoutingTable())) {
                        LOG.log(
                                System.Logger.Level.INFO,
                                "ignoring routing table of {0} {1}: older than the one it has",
                                message.getRoutingTable().getApplication(),
                                message.getRoutingTable().getVersion());
                    }
                }
                case TRAFFIC_SPLIT -> {
                    TrafficSplit split = message.getTrafficSplit();
                    Ingress ingress = ingresses.get(split.getApplication());
                    if (ingress != null) {
                        ingress.split(split);
                    }
                }
                case DRAIN ->
                    LOG.log(
                            System.Logger.Level.INFO,
                            "drain: {0} (released: {1})",
                            message.getDrain().getReason(),
                            message.getDrain().getReleased());
                default -> {}
            }
        }
    }

    /** Drains and stops every replica, says Leave, and stops serving. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ingresses.values().forEach(Ingress::close);
        replicas.close();
        link.heartbeat();
        link.close();
        publicServer.shutdown();
        supervisorServer.shutdown();
        try {
            publicServer.awaitTermination(2, TimeUnit.SECONDS);
            supervisorServer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publicServer.shutdownNow();
        supervisorServer.shutdownNow();
        channels.close();
        timer.shutdownNow();
    }

    /** The public ComponentService, bound before the forwarder exists (the server must listen first). */
    private static final class ForwardingService
            extends dev.weft.api.runtime.v1.ComponentServiceGrpc.ComponentServiceImplBase {
        private final java.util.function.Supplier<Forwarder> forwarder;

        ForwardingService(java.util.function.Supplier<Forwarder> forwarder) {
            this.forwarder = forwarder;
        }

        @Override
        public void invoke(
                dev.weft.api.runtime.v1.CallRequest request,
                io.grpc.stub.StreamObserver<dev.weft.api.runtime.v1.CallReply> responses) {
            forwarder.get().invoke(request, responses);
        }
    }
}
