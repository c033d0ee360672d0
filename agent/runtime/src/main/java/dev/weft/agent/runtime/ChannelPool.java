package dev.weft.agent.runtime;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** One gRPC channel (HTTP/2 connection) per address, kept for the life of the process. */
public final class ChannelPool implements AutoCloseable {

    /** Largest call payload, both ways. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public ManagedChannel channel(String address) {
        return channels.computeIfAbsent(
                address,
                a -> NettyChannelBuilder.forTarget(a)
                        .usePlaintext()
                        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                        .build());
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdown);
        for (ManagedChannel channel : channels.values()) {
            try {
                if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                    channel.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                channel.shutdownNow();
            }
        }
        channels.clear();
    }
}
