package dev.weft.bench.replica;

import com.google.protobuf.Duration;
import dev.weft.agent.node.Agent;
import dev.weft.agent.node.AgentConfig;
import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.AgentServiceGrpc;
import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.LeaveRequest;
import dev.weft.api.agent.v1.LeaveResponse;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.Welcome;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts N replicas of the whole boutique (all ten components each) through a real agent, once with each replica
 * in its own JVM and once with each in its own class loader in the agent's JVM; prints the time from pushing the
 * AssignmentSet to the agent's ack (every replica said hello) and the memory the replicas added (resident set
 * size: of the child processes, or the growth of the agent's own process).
 *
 * <pre>{@code java -cp ... dev.weft.bench.replica.ReplicaStartBench [--replicas 3]}</pre>
 */
public final class ReplicaStartBench {

    private static final LinkedBlockingQueue<AgentMessage> RECEIVED = new LinkedBlockingQueue<>();
    private static volatile @org.jspecify.annotations.Nullable StreamObserver<ControlMessage> stream;

    public static void main(String[] args) throws Exception {
        int replicas = args.length > 1 && args[0].equals("--replicas") ? Integer.parseInt(args[1]) : 3;
        Server cp = NettyServerBuilder.forPort(0)
                .addService(new AgentServiceGrpc.AgentServiceImplBase() {
                    @Override
                    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responses) {
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(AgentMessage m) {
                                if (m.hasHello()) {
                                    stream = responses;
                                    responses.onNext(ControlMessage.newBuilder()
                                            .setWelcome(Welcome.newBuilder()
                                                    .setAgentId(m.getHello().getAgentId())
                                                    .setSessionCredential("s")
                                                    .setLease(Duration.newBuilder()
                                                            .setSeconds(60))
                                                    .setHeartbeatInterval(Duration.newBuilder()
                                                            .setSeconds(20))
                                                    .setReportInterval(Duration.newBuilder()
                                                            .setSeconds(60)))
                                            .build());
                                }
                                RECEIVED.add(m);
                            }

                            @Override
                            public void onError(Throwable t) {}

                            @Override
                            public void onCompleted() {}
                        };
                    }

                    @Override
                    public void leave(LeaveRequest request, StreamObserver<LeaveResponse> responses) {
                        responses.onNext(LeaveResponse.getDefaultInstance());
                        responses.onCompleted();
                    }
                })
                .build()
                .start();
        String artifact =
                "classpath:" + System.getProperty("java.class.path") + "#dev.weft.examples.boutique.BoutiqueMain";
        System.out.printf(
                Locale.ROOT,
                "replica start bench: %d replicas of the boutique (10 components each), JDK %s, " + "%d cpu(s)%n%n",
                replicas,
                Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| mode | push to ack, all replicas up (ms) | memory added (MiB RSS) | per replica (MiB) |");
        System.out.println("|---|---:|---:|---:|");
        for (AgentConfig.ReplicaMode mode :
                List.of(AgentConfig.ReplicaMode.CLASSLOADER, AgentConfig.ReplicaMode.PROCESS)) {
            run(mode, replicas, artifact, "127.0.0.1:" + cp.getPort());
        }
        cp.shutdownNow();
        System.exit(0);
    }

    private static void run(AgentConfig.ReplicaMode mode, int n, String artifact, String target) throws Exception {
        RECEIVED.clear();
        AgentConfig d = AgentConfig.defaults("bench-" + mode.name().toLowerCase(Locale.ROOT), target, "t");
        AgentConfig config = d.withReplicaMode(mode, d.drainTimeout(), d.restartBackoff());
        Agent agent = Agent.start(config, Clock.systemUTC(), e -> {});
        await(AgentMessage::hasHello);
        System.gc();
        long before = rss(ProcessHandle.current().pid());
        AssignmentSet.Builder set = AssignmentSet.newBuilder().setGeneration(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "r" + i;
            ids.add(id);
            set.addAssignments(Assignment.newBuilder()
                    .setAssignmentId(id)
                    .setApplication("boutique")
                    .setVersion("v1")
                    .addAllComponents(List.of(
                            "frontend",
                            "product-catalog",
                            "currency",
                            "cart",
                            "shipping",
                            "checkout",
                            "payment",
                            "email",
                            "recommendation",
                            "ad"))
                    .setArtifact(artifact)
                    .setResources(Resources.newBuilder().setCpuMillicores(500).setMemoryMib(256)));
        }
        long start = System.nanoTime();
        java.util.Objects.requireNonNull(stream, "no stream")
                .onNext(ControlMessage.newBuilder().setAssignments(set).build());
        AgentMessage ack = await(AgentMessage::hasAssignmentAck);
        double ms = (System.nanoTime() - start) / 1e6;
        if (!ack.getAssignmentAck().getApplied()) {
            throw new IllegalStateException(
                    "replicas did not start: " + ack.getAssignmentAck().getMessage());
        }
        TimeUnit.SECONDS.sleep(3); // let the replicas settle before reading memory
        long added;
        if (mode == AgentConfig.ReplicaMode.PROCESS) {
            added = 0;
            for (String id : ids) {
                added += rss(java.util.Objects.requireNonNull(agent.replicaPid(id), id));
            }
        } else {
            System.gc();
            added = rss(ProcessHandle.current().pid()) - before;
        }
        System.out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %.0f |%n",
                mode == AgentConfig.ReplicaMode.PROCESS
                        ? "one JVM per replica"
                        : "one class loader per replica (in the agent's JVM)",
                ms,
                added / 1048576.0,
                added / 1048576.0 / n);
        agent.close();
    }

    private static AgentMessage await(java.util.function.Predicate<AgentMessage> p) throws InterruptedException {
        while (true) {
            AgentMessage m = RECEIVED.poll(180, TimeUnit.SECONDS);
            if (m == null) {
                throw new IllegalStateException("timed out");
            }
            if (p.test(m)) {
                return m;
            }
        }
    }

    private static long rss(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }
}
