package dev.weft.agent.runtime;

import dev.weft.agent.Components;
import dev.weft.api.runtime.v1.DrainReplica;
import dev.weft.api.runtime.v1.Drained;
import dev.weft.api.runtime.v1.HostedComponent;
import dev.weft.api.runtime.v1.ReplicaHello;
import dev.weft.api.runtime.v1.ReplicaMessage;
import dev.weft.api.runtime.v1.ReplicaSupervisorGrpc;
import dev.weft.api.runtime.v1.SupervisorMessage;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A replica: the components of its assignment, served on 127.0.0.1 over ComponentService, linked to its agent
 * over ReplicaSupervisor (hello; routing from the agent; measurements every second to the agent; drain on
 * request). When the link ends the replica stops, since only its agent can route to it.
 */
public final class ReplicaRuntime implements AutoCloseable {

    /** Measurements go to the agent this often. */
    public static final long LOAD_PERIOD_MILLIS = 1000;

    private static final System.Logger LOG = System.getLogger(ReplicaRuntime.class.getName());

    private final ReplicaConfig config;
    private final Engine engine;
    private final Dispatcher dispatcher;
    private final Router router;
    private final ChannelPool channels = new ChannelPool();
    private final Server server;
    private final ManagedChannel supervisorChannel;
    private final ScheduledExecutorService timer;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final StreamObserver<ReplicaMessage> link;
    private final Object linkLock = new Object();
    private volatile boolean closed;

    /** Builds the replica's components, starts its server and says hello to its agent. */
    public static ReplicaRuntime start(EngineFactory factory, ReplicaConfig config) {
        return new ReplicaRuntime(factory, config);
    }

    /** Makes the engine for a replica, given how to reach components it does not host. */
    @FunctionalInterface
    public interface EngineFactory {
        Engine create(ReplicaConfig config, Engine.Remote remote);
    }

    private ReplicaRuntime(EngineFactory factory, ReplicaConfig config) {
        this.config = config;
        this.router = new Router(config.application(), config.version(), new SplittableRandom(config.hashCode()));
        this.engine = factory.create(config, new Engine.Remote(router, channels, config.deadlineMillis()));
        this.engine.start();
        this.dispatcher = new Dispatcher(engine, config.assignmentId());
        try {
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new ComponentServer(dispatcher))
                    .maxInboundMessageSize(ChannelPool.MAX_MESSAGE_BYTES)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + config.assignmentId() + " could not listen", e);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-replica-link");
            t.setDaemon(true);
            return t;
        });
        this.supervisorChannel = NettyChannelBuilder.forTarget(config.supervisor())
                .usePlaintext()
                .build();
        this.link = ReplicaSupervisorGrpc.newStub(supervisorChannel).attach(new FromAgent());
        ReplicaHello.Builder hello = ReplicaHello.newBuilder()
                .setAssignmentId(config.assignmentId())
                .setToken(config.token())
                .setAddress("127.0.0.1:" + server.getPort())
                .setPid(ProcessHandle.current().pid());
        for (String name : engine.hosted()) {
            ComponentModel model = java.util.Objects.requireNonNull(engine.model(name));
            hello.addComponents(HostedComponent.newBuilder().setName(name).setHttpIngress(model.httpIngress()));
        }
        send(ReplicaMessage.newBuilder().setHello(hello).build());
        timer.scheduleAtFixedRate(this::sendLoad, LOAD_PERIOD_MILLIS, LOAD_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        LOG.log(
                System.Logger.Level.INFO,
                "replica {0} of {1} {2} serves {3} on 127.0.0.1:{4}",
                config.assignmentId(),
                config.application(),
                config.version(),
                engine.hosted(),
                server.getPort());
    }

    public Components components() {
        return engine;
    }

    public Engine engine() {
        return engine;
    }

    public int port() {
        return server.getPort();
    }

    private void send(ReplicaMessage message) {
        synchronized (linkLock) {
            if (!closed) {
                link.onNext(message);
            }
        }
    }

    private void sendLoad() {
        try {
            send(ReplicaMessage.newBuilder().setLoad(engine.meters().drain()).build());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sending load to the agent failed", e);
        }
    }

    private final class FromAgent implements StreamObserver<SupervisorMessage> {
        @Override
        public void onNext(SupervisorMessage message) {
            switch (message.getBodyCase()) {
                case ROUTING ->
                    router.update(
                            message.getRouting().getTable(),
                            message.getRouting().getLocalAddressesMap(),
                            message.getRouting().getAgentAddress());
                case DRAIN -> startDrain(message.getDrain());
                case BODY_NOT_SET -> {} // a body this replica does not know: ignored
            }
        }

        @Override
        public void onError(Throwable t) {
            detached("the agent link failed: " + t);
        }

        @Override
        public void onCompleted() {
            detached("the agent ended the link");
        }
    }

    private void startDrain(DrainReplica drain) {
        dispatcher.drain();
        Thread.ofPlatform().daemon().name("weft-replica-drain").start(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, drain.getTimeoutMillis()));
            while (dispatcher.inFlight() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5); // polling a counter: drains are rare and short
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            sendLoad();
            send(ReplicaMessage.newBuilder()
                    .setDrained(Drained.newBuilder().setAbandoned(dispatcher.inFlight()))
                    .build());
        });
    }

    private void detached(String why) {
        if (closed) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "replica {0} stops: {1}", config.assignmentId(), why);
        close();
        if (config.exitOnDetach()) {
            System.exit(0);
        }
    }

    /** Blocks until the replica stopped. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    @Override
    public void close() {
        synchronized (linkLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                link.onCompleted();
            } catch (RuntimeException e) {
                // already broken
            }
        }
        timer.shutdownNow();
        server.shutdown();
        try {
            server.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdownNow();
        supervisorChannel.shutdownNow();
        channels.close();
        engine.close();
        terminated.countDown();
    }
}
