package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.AgentServiceGrpc;
import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.Hello;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.RunningReplica;
import dev.weft.api.agent.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One simulated agent speaking the real protocol over a real socket: it opens a stream, sends what the
 * test says and collects what the control plane answers. Waiting is bounded, never a fixed sleep.
 */
final class TestAgent implements AutoCloseable {

    static final long WAIT_SECONDS = 10;

    final String id;
    private final BlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private final StreamObserver<AgentMessage> out;

    TestAgent(ManagedChannel channel, String id) {
        this.id = id;
        this.out = AgentServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(ControlMessage message) {
                received.add(message);
            }

            @Override
            public void onError(Throwable t) {
                closed.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                closed.complete(Status.OK);
            }
        });
    }

    static Hello.Builder hello(String id) {
        return Hello.newBuilder()
                .setAgentId(id)
                .setBootstrapToken(AgentIntegrationTest.TOKEN)
                .setAdvertisedAddress(id + ".test:7000")
                .setZone("zone-a")
                .putLabels("pci", "yes")
                .setCapacity(Resources.newBuilder().setCpuMillicores(4000).setMemoryMib(8192))
                .addRuntimes("jvm")
                .setAgentVersion("test-agent 1");
    }

    static RunningReplica replica(String application, String version, String... components) {
        return RunningReplica.newBuilder()
                .setApplication(application)
                .setVersion(version)
                .addAllComponents(java.util.List.of(components))
                .build();
    }

    /** Says hello with the bootstrap token and returns the welcome. */
    Welcome register() {
        send(AgentMessage.newBuilder().setHello(hello(id)).build());
        return next().getWelcome();
    }

    TestAgent send(AgentMessage message) {
        out.onNext(message);
        return this;
    }

    TestAgent hello(Hello.Builder hello) {
        return send(AgentMessage.newBuilder().setHello(hello).build());
    }

    TestAgent heartbeat(Heartbeat.Builder heartbeat) {
        return send(AgentMessage.newBuilder().setHeartbeat(heartbeat).build());
    }

    TestAgent report(LoadReport.Builder report) {
        return send(AgentMessage.newBuilder().setLoadReport(report).build());
    }

    /** A report of one component and one edge of the online shop's v1, all figures valid. */
    static LoadReport.Builder shopReport(String application, long sequence) {
        return LoadReport.newBuilder()
                .setSequence(sequence)
                .setObservedAt(Timestamp.newBuilder().setSeconds(1_930_000_000L))
                .setInterval(Duration.newBuilder().setSeconds(10))
                .addComponents(ComponentLoad.newBuilder()
                        .setApplication(application)
                        .setVersion("v1")
                        .setComponent("cart")
                        .setCpuCores(0.5)
                        .setMemoryMib(256)
                        .setRequestsPerSecond(120)
                        .setErrorsPerSecond(1)
                        .setInFlight(3))
                .addEdges(EdgeLoad.newBuilder()
                        .setApplication(application)
                        .setCallerVersion("v1")
                        .setCalleeVersion("v1")
                        .setCaller("cart")
                        .setCallee("cart-store")
                        .setCallsPerSecond(240)
                        .setBytesPerSecond(48_000)
                        .setLatencyP50Ms(1.5)
                        .setLatencyP99Ms(9)
                        .setErrorsPerSecond(0));
    }

    /** The next message from the control plane; fails the test if none comes in time. */
    ControlMessage next() {
        try {
            ControlMessage message = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(message)
                    .as("a control message for agent " + id + " (stream closed: " + closed.getNow(null) + ")")
                    .isNotNull();
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message from the control plane, or null as soon as the stream has ended without one. */
    ControlMessage nextOrClosed() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try {
            while (System.nanoTime() < deadline) {
                ControlMessage message = received.poll(50, TimeUnit.MILLISECONDS);
                if (message != null) {
                    return message;
                }
                if (closed.isDone() && received.isEmpty()) {
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError("no control message for agent " + id + " within " + WAIT_SECONDS + "s");
    }

    /** The next message from the control plane within {@code seconds}, or null if none comes. */
    ControlMessage poll(long seconds) {
        try {
            return received.poll(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status the control plane ended the stream with; fails the test if it stays open. */
    Status closedWith() {
        try {
            return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("stream of agent " + id + " was not closed within " + WAIT_SECONDS + "s", e);
        }
    }

    boolean isOpen() {
        return !closed.isDone();
    }

    /** Half-closes the stream as an agent that shuts down would. */
    void hangUp() {
        out.onCompleted();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            out.onError(Status.CANCELLED.withDescription("test over").asRuntimeException());
        }
    }
}
