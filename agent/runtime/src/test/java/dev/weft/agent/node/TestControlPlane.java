package dev.weft.agent.node;

import com.google.protobuf.Duration;
import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.AgentServiceGrpc;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.LeaveRequest;
import dev.weft.api.agent.v1.LeaveResponse;
import dev.weft.api.agent.v1.ReportAck;
import dev.weft.api.agent.v1.Welcome;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A hand-written control plane for the agent's tests: a real gRPC AgentService on a socket that welcomes every
 * hello (short intervals), acks reports, records what the agent sends and pushes what a test tells it to, exactly
 * the messages api/README.md documents.
 */
public final class TestControlPlane implements AutoCloseable {

    public final LinkedBlockingQueue<AgentMessage> received = new LinkedBlockingQueue<>();
    public final List<AgentMessage> all = new CopyOnWriteArrayList<>();
    public final List<LeaveRequest> leaves = new CopyOnWriteArrayList<>();
    public final AtomicInteger welcomes = new AtomicInteger();
    private final Server server;
    private volatile StreamObserver<ControlMessage> stream;

    public TestControlPlane() throws IOException {
        server = NettyServerBuilder.forPort(0).addService(new Service()).build().start();
    }

    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Pushes a message on the agent's open stream. */
    public synchronized void push(ControlMessage message) {
        stream.onNext(message);
    }

    /** Ends the agent's stream with this status. */
    public synchronized void end(Status status) {
        if (status.isOk()) {
            stream.onCompleted();
        } else {
            stream.onError(status.asException());
        }
    }

    /** The next message the agent sends that matches, within the timeout (others are skipped). */
    public AgentMessage await(Predicate<AgentMessage> matching, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            AgentMessage message = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no matching message from the agent within " + seconds + " s; last ones: "
                        + all.subList(Math.max(0, all.size() - 3), all.size()));
            }
            if (matching.test(message)) {
                return message;
            }
        }
    }

    private final class Service extends AgentServiceGrpc.AgentServiceImplBase {
        @Override
        public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responses) {
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage message) {
                    all.add(message);
                    received.add(message);
                    synchronized (TestControlPlane.this) {
                        if (message.hasHello()) {
                            stream = responses;
                            int n = welcomes.incrementAndGet();
                            responses.onNext(ControlMessage.newBuilder()
                                    .setWelcome(Welcome.newBuilder()
                                            .setAgentId(message.getHello().getAgentId())
                                            .setSessionCredential("session-" + n)
                                            .setLease(Duration.newBuilder().setSeconds(3))
                                            .setHeartbeatInterval(
                                                    Duration.newBuilder().setNanos(500_000_000))
                                            .setReportInterval(
                                                    Duration.newBuilder().setNanos(400_000_000))
                                            .setMaxMessageBytes(4 * 1024 * 1024)
                                            .setResumed(message.getHello().hasSessionCredential()))
                                    .build());
                        } else if (message.hasLoadReport() && responses == stream) {
                            responses.onNext(ControlMessage.newBuilder()
                                    .setReportAck(ReportAck.newBuilder()
                                            .setSequence(message.getLoadReport().getSequence())
                                            .setOutcome(ReportAck.Outcome.OUTCOME_ACCEPTED)
                                            .setCountedInterval(
                                                    message.getLoadReport().getInterval()))
                                    .build());
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                    try {
                        responses.onCompleted();
                    } catch (RuntimeException e) {
                        // already ended by the test
                    }
                }
            };
        }

        @Override
        public void leave(LeaveRequest request, StreamObserver<LeaveResponse> responses) {
            leaves.add(request);
            responses.onNext(LeaveResponse.newBuilder().setReplicasReleased(0).build());
            responses.onCompleted();
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
