package dev.weft.bench.loadgen;

import dev.weft.api.agent.v1.AgentServiceGrpc;
import dev.weft.api.agent.v1.Hello;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.Resources;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * Many {@link SimulatedAgent}s that apply their assignments, on a few HTTP/2 connections and one Netty event loop,
 * with one ticker thread sending their heartbeats (and reports, when they report load).
 */
final class AgentFleet implements AutoCloseable {

    final List<SimulatedAgent> agents = new ArrayList<>();
    final SimulatedAgent.Stats stats = new SimulatedAgent.Stats();
    private final EventLoopGroup loop;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final AtomicBoolean ticking = new AtomicBoolean(true);
    private final Thread ticker;

    /**
     * Connects {@code n} agents; {@code hello} gives agent i's hello (its id is {@code prefix-i}). Returns once every
     * agent was welcomed (or 180 s passed: 10,000 hellos on a busy machine take a while).
     */
    AgentFleet(
            String grpc,
            String token,
            String prefix,
            int n,
            int channelCount,
            long reportIntervalNanos,
            IntFunction<Hello.Builder> hello,
            int connectRate)
            throws InterruptedException {
        loop = new NioEventLoopGroup(2);
        int colon = grpc.lastIndexOf(':');
        for (int i = 0; i < channelCount; i++) {
            channels.add(NettyChannelBuilder.forAddress(
                            grpc.substring(0, colon), Integer.parseInt(grpc.substring(colon + 1)))
                    .usePlaintext()
                    .eventLoopGroup(loop)
                    .channelType(NioSocketChannel.class)
                    .directExecutor()
                    .maxInboundMessageSize(16 << 20)
                    .build());
        }
        SimulatedAgent[] all = new SimulatedAgent[n];
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        long origin = System.nanoTime();
        ticker = Thread.ofPlatform().name("fleet-ticker").daemon(true).start(() -> {
            while (ticking.get()) {
                long now = System.nanoTime();
                int k = opened.get();
                for (int i = 0; i < k; i++) {
                    all[i].tick(now, origin + reportIntervalNanos * i / n);
                }
                LoadGenerator.sleepQuietly(5);
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            SimulatedAgent agent =
                    new SimulatedAgent(prefix + "-" + i, LoadReport.getDefaultInstance(), reportIntervalNanos, stats);
            agent.helloTemplate(hello.apply(i));
            AgentServiceGrpc.newStub(channels.get(i % channels.size())).connect(agent);
            agent.hello(token);
            all[i] = agent;
            agents.add(agent);
            opened.set(i + 1);
            long wait = start + (long) ((i + 1) * 1e9 / connectRate) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (stats.welcomed.sum() + stats.failed.sum() < n && System.nanoTime() < deadline) {
            LoadGenerator.sleepQuietly(20);
        }
    }

    /** A hello offering {@code cpuMillis} and {@code memoryMiB}, in zone {@code zone}, with a pci label if asked. */
    static Hello.Builder hello(String zone, boolean pci, int cpuMillis, int memoryMiB, String address) {
        Hello.Builder hello = Hello.newBuilder()
                .setAdvertisedAddress(address)
                .setZone(zone)
                .setCapacity(Resources.newBuilder().setCpuMillicores(cpuMillis).setMemoryMib(memoryMiB))
                .addRuntimes("jvm")
                .setAgentVersion("weft-sample-agent");
        if (pci) {
            hello.putLabels("pci", "true");
        }
        return hello;
    }

    long welcomed() {
        return stats.welcomed.sum();
    }

    @Override
    public void close() throws InterruptedException {
        ticking.set(false);
        ticker.join();
        agents.forEach(SimulatedAgent::close);
        TimeUnit.MILLISECONDS.sleep(300);
        channels.forEach(ManagedChannel::shutdownNow);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
