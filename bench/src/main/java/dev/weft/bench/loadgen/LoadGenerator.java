package dev.weft.bench.loadgen;

import dev.weft.api.agent.v1.AgentServiceGrpc;
import dev.weft.api.agent.v1.LoadReport;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens N simulated agents over real gRPC (one shared Netty event loop, a few HTTP/2 connections, one
 * stream per agent), lets each send a load report per second for 20 components and 40 edges, and
 * prints what the control plane sustained: reports/s accepted, ack latency, rows written/s, and the
 * control plane's CPU and heap as its Actuator reports them. The control plane runs separately.
 *
 * <pre>java -cp ... dev.weft.bench.loadgen.LoadGenerator [--agents 1000 | --full] [--duration 60] ...</pre>
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        ControlPlaneHttp http = new ControlPlaneHttp(o.http);
        for (int v = 0; v < o.versions; v++) {
            http.register(o.application, o.versionOf(v), o.components, o.edges);
        }
        System.out.printf(
                Locale.ROOT,
                "registered %s with %d version(s) of %d components and %d edges; connecting %d agents over %d channels to %s%n",
                o.application,
                o.versions,
                o.components,
                o.edges,
                o.agents,
                o.channels,
                o.grpc);

        EventLoopGroup loop = new NioEventLoopGroup(o.eventLoopThreads);
        List<ManagedChannel> channels = new ArrayList<>();
        int colon = o.grpc.lastIndexOf(':');
        String host = o.grpc.substring(0, colon);
        int port = Integer.parseInt(o.grpc.substring(colon + 1));
        for (int i = 0; i < o.channels; i++) {
            channels.add(NettyChannelBuilder.forAddress(host, port)
                    .usePlaintext()
                    .eventLoopGroup(loop)
                    .channelType(NioSocketChannel.class)
                    .directExecutor()
                    .maxInboundMessageSize(4 << 20)
                    .build());
        }
        SimulatedAgent.Stats stats = new SimulatedAgent.Stats();
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(o.intervalMillis);
        // filled by the main thread while the ticker runs; opened.get() publishes how many are filled in
        SimulatedAgent[] agents = new SimulatedAgent[o.agents];
        AtomicInteger opened = new AtomicInteger();
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

        AtomicBoolean ticking = new AtomicBoolean(true);
        long origin = System.nanoTime();
        Thread ticker = Thread.ofPlatform().name("loadgen-ticker").daemon(true).start(() -> {
            while (ticking.get()) {
                long now = System.nanoTime();
                int n = opened.get();
                for (int i = 0; i < n; i++) {
                    agents[i].tick(now, origin + intervalNanos * i / o.agents);
                }
                sleepQuietly(5);
            }
        });

        long connectStart = System.nanoTime();
        for (int i = 0; i < o.agents; i++) {
            LoadReport template = LoadShape.template(o.application, o.versionOf(i), o.components, o.edges, i);
            SimulatedAgent agent = new SimulatedAgent("lg-" + run + "-" + i, template, intervalNanos, stats);
            AgentServiceGrpc.newStub(channels.get(i % channels.size())).connect(agent);
            agent.hello(o.token);
            agents[i] = agent;
            opened.set(i + 1);
            long due = connectStart + (long) ((i + 1) * 1e9 / o.connectRate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stats.welcomed.sum() + stats.failed.sum() < o.agents && System.nanoTime() < deadline) {
            sleepQuietly(50);
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%d agents welcomed, %d failed, in %.1f s; warming up %d s%n",
                stats.welcomed.sum(),
                stats.failed.sum(),
                connectSeconds,
                o.warmupSeconds);
        TimeUnit.SECONDS.sleep(o.warmupSeconds);

        Snapshot before = Snapshot.take(http, stats);
        stats.latencies.set(new LatencyHistogram());
        long measureStart = System.nanoTime();
        Samples cp = new Samples();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Samples self = new Samples();
        while (System.nanoTime() - measureStart < TimeUnit.SECONDS.toNanos(o.durationSeconds)) {
            TimeUnit.SECONDS.sleep(2);
            cp.cpu(http.metric("process.cpu.usage", "VALUE"));
            cp.heap(http.metric("jvm.memory.used", "VALUE", "area:heap") / (1 << 20));
            self.cpu(os.getProcessCpuLoad());
        }
        double seconds = (System.nanoTime() - measureStart) / 1e9;
        LatencyHistogram latencies = stats.latencies.get();
        Snapshot after = Snapshot.take(http, stats);
        long connectedNow = java.util.Arrays.stream(agents)
                .filter(a -> a.welcomed() && !a.ended())
                .count();

        ticking.set(false);
        ticker.join();
        java.util.Arrays.stream(agents).forEach(SimulatedAgent::close);
        TimeUnit.MILLISECONDS.sleep(500);
        channels.forEach(ManagedChannel::shutdownNow);
        boolean unusedStopped =
                loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);

        Report.print(o, connectSeconds, connectedNow, seconds, before, after, latencies, cp, self, stats);
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
